import Foundation

enum UnapproveCommand: Command {
    static let spec = CommandSpec(
        name: "unapprove",
        summary: "Withdraw an approval: the announcement is no longer broadcast.",
        usage: "ID",
        discussion: "A running broadcast service stops offering it once it reloads the catalog.\n\(CatalogCLI.locationDiscussion)",
        positionals: [PositionalSpec(name: "ID", help: "The announcement's id (see 'psacaster list').")],
        options: [CatalogCLI.catalogOption],
        examples: ["psacaster unapprove vi-helpline"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let id = args.positional(0)!
        let store = try CatalogCLI.existingStore(args)
        let was: Approval? = try store.update { manifest in
            guard let i = manifest.announcements.firstIndex(where: { $0.id == id }) else { throw CatalogError.unknownAnnouncement(id: id) }
            defer { manifest.announcements[i].approval = nil }
            return manifest.announcements[i].approval
        }
        print(was == nil ? "\(id) was not approved; nothing changed." : "\(id) is no longer approved (was approved by \(was!.by)); it will not be broadcast.")
        return 0
    }
}
