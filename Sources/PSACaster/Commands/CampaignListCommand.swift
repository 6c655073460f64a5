import Foundation

enum CampaignListCommand: Command {
    static let spec = CommandSpec(
        name: "campaign list",
        summary: "List campaigns and what each one sends.",
        usage: "[--json]",
        discussion: CatalogCLI.locationDiscussion,
        options: [.flag("json", help: "Print the campaigns as JSON, with the approved announcements each one sends."), CatalogCLI.catalogOption],
        examples: ["psacaster campaign list"])

    struct Row: Encodable {
        var name: String
        var announcements: [String]?
        var languages: [String]?
        /// What goes out now: approved announcements only, in order.
        var sends: [String]
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let manifest = try CatalogCLI.store(args).load()
        if args.flag("json") {
            try Console.printJSON(manifest.campaigns.map {
                Row(name: $0.name, announcements: $0.announcements, languages: $0.languages, sends: $0.selection(from: manifest).map(\.id))
            })
            return 0
        }
        if manifest.campaigns.isEmpty {
            print("No campaigns. Create one with 'psacaster campaign create NAME --lang CODE ...'.")
            return 0
        }
        for c in manifest.campaigns { CampaignSelection.describe(c, manifest: manifest, verb: nil) }
        return 0
    }
}
