import Foundation

enum ListCommand: Command {
    static let spec = CommandSpec(
        name: "list",
        summary: "List the announcements in the catalog.",
        usage: "[--lang CODE] [--json]",
        discussion: "STATE is 'approved' (broadcast when a campaign selects it), 'unapproved' or 'inbox' (received from a phone, not yet vetted).\n\(CatalogCLI.locationDiscussion)",
        options: [
            .value("lang", "CODE", help: "Only announcements in this language."),
            .flag("json", help: "Print the announcements as JSON."),
            CatalogCLI.catalogOption,
        ],
        examples: ["psacaster list", "psacaster list --lang my --json"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let manifest = try CatalogCLI.store(args).load()
        var items = manifest.announcements
        if let text = args.value("lang") {
            let lang: LanguageTag
            do { lang = try LanguageTag(text) } catch { throw UsageError.invalid(String(describing: error), command: "list") }
            items = items.filter { $0.language == lang.canonical }
        }
        if args.flag("json") { try Console.printJSON(items); return 0 }
        if items.isEmpty {
            print(manifest.announcements.isEmpty ? "The catalog is empty. Add an announcement with 'psacaster add RECORDING --lang CODE --title TEXT'." : "No announcements in that language.")
            return 0
        }
        var rows = [["ID", "LANG", "STATE", "LENGTH", "SIZE", "FILE", "TITLE"]]
        for a in items {
            rows.append([a.id, a.language, CatalogCLI.state(a), CatalogCLI.duration(a.durationSeconds), CatalogCLI.size(a.sizeBytes), a.deliveryName, a.title])
        }
        print(CatalogCLI.table(rows))
        return 0
    }
}
