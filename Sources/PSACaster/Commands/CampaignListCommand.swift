// Placeholder: replaced by the work on its issue.
enum CampaignListCommand: Command {
    static let spec = CommandSpec(name: "campaign list", summary: "List campaigns.", usage: "[--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("campaign list: not available in this build yet.")
        return 1
    }
}
