// Placeholder: replaced by the work on its issue.
enum RemoveCommand: Command {
    static let spec = CommandSpec(name: "remove", summary: "Remove an announcement from the catalog.", usage: "ID")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("remove: not available in this build yet.")
        return 1
    }
}
