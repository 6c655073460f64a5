// Placeholder: replaced by the work on its issue.
enum ApproveCommand: Command {
    static let spec = CommandSpec(name: "approve", summary: "Record that a fluent speaker approved an announcement.", usage: "ID --by NAME")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("approve: not available in this build yet.")
        return 1
    }
}
