import Foundation

enum CampaignEditCommand: Command {
    static let spec = CommandSpec(
        name: "campaign edit",
        summary: "Change a campaign's announcements, languages or name.",
        usage: "NAME [--announcement ID ... | --lang CODE ...] [--rename NEW]",
        discussion: "The new list replaces the old one, in the order given.\n\(CatalogCLI.locationDiscussion)",
        positionals: [PositionalSpec(name: "NAME", help: "The campaign to change.")],
        options: CampaignSelection.options + [.value("rename", "NEW", help: "Give the campaign a new name."), CatalogCLI.catalogOption],
        examples: ["psacaster campaign edit market --lang km --lang my", "psacaster campaign edit market --rename night-market"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let name = args.positional(0)!
        let newName = try args.value("rename").map(CampaignSelection.name)
        let store = try CatalogCLI.existingStore(args)
        let campaign: Campaign = try store.update { manifest in
            guard let i = manifest.campaigns.firstIndex(where: { $0.name == name }) else { throw CatalogError.unknownCampaign(name: name) }
            let selection = try CampaignSelection.parse(args, manifest: manifest, name: name)
            guard selection != nil || newName != nil else {
                throw UsageError.invalid("nothing to change: give --announcement ID / --lang CODE (repeated, in order) or --rename NEW.", command: spec.name)
            }
            if let s = selection {
                manifest.campaigns[i].announcements = s.announcements
                manifest.campaigns[i].languages = s.languages
            }
            if let n = newName, n != name {
                guard manifest.campaign(named: n) == nil else { throw CatalogError.campaignExists(name: n) }
                manifest.campaigns[i].name = n
            }
            return manifest.campaigns[i]
        }
        CampaignSelection.describe(campaign, manifest: try store.load(), verb: "Changed")
        return 0
    }
}
