// Placeholder: replaced by the work on its issue.
enum CampaignEditCommand: Command {
    static let spec = CommandSpec(name: "campaign edit", summary: "Change a campaign.", usage: "NAME [options]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("campaign edit: not available in this build yet.")
        return 1
    }
}
