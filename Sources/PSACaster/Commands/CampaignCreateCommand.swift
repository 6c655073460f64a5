import Foundation

enum CampaignCreateCommand: Command {
    static let spec = CommandSpec(
        name: "campaign create",
        summary: "Create a campaign: which announcements go out, in which order.",
        usage: "NAME (--announcement ID ... | --lang CODE ...)",
        discussion: """
        A campaign is either a list of announcement ids or a list of languages (every approved \
        announcement of each language, in catalog order), in the order phones receive them. \
        Only approved announcements are ever sent.
        \(CatalogCLI.locationDiscussion)
        """,
        positionals: [PositionalSpec(name: "NAME", help: "Campaign name, e.g. the place or event.")],
        options: CampaignSelection.options + [CatalogCLI.catalogOption],
        examples: ["psacaster campaign create market --lang my --lang km --lang en",
                   "psacaster campaign create dormitory --announcement vi-helpline --announcement en-helpline-sample"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let name = try CampaignSelection.name(args.positional(0)!)
        let store = CatalogCLI.store(args)
        let campaign: Campaign = try store.update { manifest in
            guard manifest.campaign(named: name) == nil else { throw CatalogError.campaignExists(name: name) }
            guard var c = try CampaignSelection.parse(args, manifest: manifest, name: name) else {
                throw UsageError.invalid("give the announcements (--announcement ID, repeated) or the languages (--lang CODE, repeated), in order.", command: spec.name)
            }
            c.name = name
            manifest.campaigns.append(c)
            return c
        }
        let manifest = try store.load()
        CampaignSelection.describe(campaign, manifest: manifest, verb: "Created")
        return 0
    }
}
