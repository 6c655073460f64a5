import Foundation

enum ApproveCommand: Command {
    static let spec = CommandSpec(
        name: "approve",
        summary: "Mark an announcement as checked by a fluent speaker (it may then be broadcast).",
        usage: "ID --by NAME",
        discussion: "Only a fluent speaker who has listened to the whole recording should approve it: no machine translation.\n\(CatalogCLI.locationDiscussion)",
        positionals: [PositionalSpec(name: "ID", help: "The announcement's id (see 'psacaster list').")],
        options: [.value("by", "NAME", help: "Who listened to it and approves it."), CatalogCLI.catalogOption],
        examples: ["psacaster approve my-helpline --by \"Daw Aye (Burmese speaker)\""])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let id = args.positional(0)!
        guard let by = args.value("by")?.trimmingCharacters(in: .whitespacesAndNewlines), !by.isEmpty,
              !by.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw UsageError.invalid("--by NAME is required: the fluent speaker who checked the recording. Run 'psacaster approve --help'.", command: "approve")
        }
        let store = try CatalogCLI.existingStore(args)
        let previous: Approval? = try store.update { manifest in
            guard let i = manifest.announcements.firstIndex(where: { $0.id == id }) else { throw CatalogError.unknownAnnouncement(id: id) }
            if let existing = manifest.announcements[i].approval { return existing }
            manifest.announcements[i].approval = Approval(by: by, at: CatalogStore.timestamp())
            return nil
        }
        if let p = previous {
            print("\(id) was already approved by \(p.by) at \(CatalogCLI.dateFormatter.string(from: p.at)); nothing changed.")
        } else {
            print("Approved \(id) (by \(by)). Campaigns that select it will broadcast it.")
        }
        return 0
    }
}
