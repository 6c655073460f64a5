// Placeholder: replaced by the work on its issue.
enum AddCommand: Command {
    static let spec = CommandSpec(name: "add", summary: "Add a recording or .opus file to the catalog (unapproved until vetted).", usage: "RECORDING --lang CODE --title TEXT [options]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("add: not available in this build yet.")
        return 1
    }
}
