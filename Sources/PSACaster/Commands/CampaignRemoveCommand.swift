// Placeholder: replaced by the work on its issue.
enum CampaignRemoveCommand: Command {
    static let spec = CommandSpec(name: "campaign remove", summary: "Remove a campaign.", usage: "NAME")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("campaign remove: not available in this build yet.")
        return 1
    }
}
