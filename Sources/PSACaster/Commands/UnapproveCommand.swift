// Placeholder: replaced by the work on its issue.
enum UnapproveCommand: Command {
    static let spec = CommandSpec(name: "unapprove", summary: "Withdraw an approval; the announcement stops being broadcast.", usage: "ID")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("unapprove: not available in this build yet.")
        return 1
    }
}
