// Placeholder: replaced by the work on its issue.
enum ListCommand: Command {
    static let spec = CommandSpec(name: "list", summary: "List the announcements in the catalog.", usage: "[--lang CODE] [--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("list: not available in this build yet.")
        return 1
    }
}
