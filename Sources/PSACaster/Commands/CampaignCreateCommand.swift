// Placeholder: replaced by the work on its issue.
enum CampaignCreateCommand: Command {
    static let spec = CommandSpec(name: "campaign create", summary: "Create a campaign: which announcements go out, in which order.", usage: "NAME [options]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("campaign create: not available in this build yet.")
        return 1
    }
}
