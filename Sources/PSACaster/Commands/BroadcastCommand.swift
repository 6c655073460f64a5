// Placeholder: replaced by the work on its issue.
enum BroadcastCommand: Command {
    static let spec = CommandSpec(name: "broadcast", summary: "Run the unattended service: offer announcements to each phone in range, once.", usage: "[--config FILE] [--catalog DIR]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("broadcast: not available in this build yet.")
        return 1
    }
}
