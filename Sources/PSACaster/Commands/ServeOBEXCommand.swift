// Placeholder: replaced by the work on its issue.
enum ServeOBEXCommand: Command {
    static let spec = CommandSpec(name: "serve-obex", summary: "Run an OBEX Object Push server (for tests and tools).", usage: "--tcp [HOST:]PORT --dir DIR")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("serve-obex: not available in this build yet.")
        return 1
    }
}
