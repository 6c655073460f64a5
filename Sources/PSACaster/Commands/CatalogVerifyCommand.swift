// Placeholder: replaced by the work on its issue.
enum CatalogVerifyCommand: Command {
    static let spec = CommandSpec(name: "catalog verify", summary: "Check every file and hash in the catalog; --repair quarantines what is broken.", usage: "[--repair] [--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("catalog verify: not available in this build yet.")
        return 1
    }
}
