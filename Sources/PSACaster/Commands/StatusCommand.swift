// Placeholder: replaced by the work on its issue.
enum StatusCommand: Command {
    static let spec = CommandSpec(name: "status", summary: "Show the aggregate counts and the live state of the service.", usage: "[--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("status: not available in this build yet.")
        return 1
    }
}
