import Foundation

enum ShowCommand: Command {
    static let spec = CommandSpec(
        name: "show",
        summary: "Show one announcement.",
        usage: "ID [--json]",
        discussion: CatalogCLI.locationDiscussion,
        positionals: [PositionalSpec(name: "ID", help: "The announcement's id (see 'psacaster list').")],
        options: [.flag("json", help: "Print it as JSON."), CatalogCLI.catalogOption],
        examples: ["psacaster show en-helpline-sample"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let store = CatalogCLI.store(args)
        let manifest = try store.load()
        let id = args.positional(0)!
        guard let a = manifest.announcement(id: id) else { throw CatalogError.unknownAnnouncement(id: id) }
        if args.flag("json") { try Console.printJSON(a); return 0 }
        let campaigns = manifest.campaigns.filter { $0.selection(from: manifest).contains(where: { $0.id == id }) }.map(\.name)
        let lang = (try? LanguageTag(a.language)).map { "\(a.language) (\($0.languageName))" } ?? a.language
        var rows: [[String]] = [
            ["id:", a.id], ["title:", a.title], ["language:", lang],
            ["helpline:", a.helpline ?? "-"],
            ["file:", store.fileURL(for: a).path], ["phones receive:", a.deliveryName],
            ["length:", String(format: "%.1f s", a.durationSeconds)], ["size:", "\(a.sizeBytes) bytes"],
            ["sha256:", a.sha256], ["created:", CatalogCLI.dateFormatter.string(from: a.created)],
            ["source:", a.source],
        ]
        if let ap = a.approval {
            rows.append(["approved:", "by \(ap.by) at \(CatalogCLI.dateFormatter.string(from: ap.at))"])
        } else {
            rows.append(["approved:", "no (\(CatalogCLI.state(a))): never broadcast until 'psacaster approve \(a.id) --by NAME'"])
        }
        rows.append(["campaigns:", campaigns.isEmpty ? "-" : campaigns.joined(separator: ", ")])
        print(CatalogCLI.table(rows))
        return 0
    }
}
