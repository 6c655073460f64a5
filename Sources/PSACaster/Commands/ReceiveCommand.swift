// Placeholder: replaced by the work on its issue.
enum ReceiveCommand: Command {
    static let spec = CommandSpec(name: "receive", summary: "Receive recordings beamed from field staff's phones (Object Push server).", usage: "[--adapter hciN] [--allow ADDR ...]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("receive: not available in this build yet.")
        return 1
    }
}
