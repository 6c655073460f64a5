import Foundation

enum CampaignRemoveCommand: Command {
    static let spec = CommandSpec(
        name: "campaign remove",
        summary: "Delete a campaign (its announcements stay in the catalog).",
        usage: "NAME",
        discussion: CatalogCLI.locationDiscussion,
        positionals: [PositionalSpec(name: "NAME", help: "The campaign to delete.")],
        options: [CatalogCLI.catalogOption],
        examples: ["psacaster campaign remove market"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let name = args.positional(0)!
        let store = try CatalogCLI.existingStore(args)
        try store.update { manifest in
            guard let i = manifest.campaigns.firstIndex(where: { $0.name == name }) else { throw CatalogError.unknownCampaign(name: name) }
            manifest.campaigns.remove(at: i)
        }
        print("Removed campaign \(name).")
        return 0
    }
}
