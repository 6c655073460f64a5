// Placeholder: replaced by the work on its issue.
enum AdaptersCommand: Command {
    static let spec = CommandSpec(name: "adapters", summary: "List Bluetooth adapters.", usage: "[--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("adapters: not available in this build yet.")
        return 1
    }
}
