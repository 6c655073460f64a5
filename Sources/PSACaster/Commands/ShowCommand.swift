// Placeholder: replaced by the work on its issue.
enum ShowCommand: Command {
    static let spec = CommandSpec(name: "show", summary: "Show one announcement.", usage: "ID [--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("show: not available in this build yet.")
        return 1
    }
}
