// Placeholder: replaced by the work on its issue.
enum PushCommand: Command {
    static let spec = CommandSpec(name: "push", summary: "Send files to one device over OBEX Object Push.", usage: "FILE... (--to ADDR[@CHANNEL] | --tcp HOST[:PORT])")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("push: not available in this build yet.")
        return 1
    }
}
