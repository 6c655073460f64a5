import Foundation

enum RemoveCommand: Command {
    static let spec = CommandSpec(
        name: "remove",
        summary: "Remove an announcement from the catalog.",
        usage: "ID",
        discussion: "Deletes the announcement and its file, and takes it out of any campaign that names it.\n\(CatalogCLI.locationDiscussion)",
        positionals: [PositionalSpec(name: "ID", help: "The announcement's id (see 'psacaster list').")],
        options: [CatalogCLI.catalogOption],
        examples: ["psacaster remove vi-old-helpline"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let store = try CatalogCLI.existingStore(args)
        let (a, campaigns) = try store.remove(id: args.positional(0)!)
        print("Removed \(a.id) (\"\(a.title)\", \(a.file)).")
        if !campaigns.isEmpty { print("Also taken out of campaign\(campaigns.count > 1 ? "s" : ""): \(campaigns.joined(separator: ", ")).") }
        return 0
    }
}
