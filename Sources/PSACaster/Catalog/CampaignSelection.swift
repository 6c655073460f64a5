import Foundation

/// Parsing and showing a campaign's selection for the `campaign` commands.
enum CampaignSelection {
    static let options: [OptionSpec] = [
        .repeated("announcement", "ID", help: "An announcement to send, in order."),
        .repeated("lang", "CODE", help: "A language whose approved announcements are sent, in order."),
    ]

    static func name(_ text: String) throws -> String {
        let n = text.trimmingCharacters(in: .whitespaces)
        guard !n.isEmpty, n.count <= 64, !n.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" }) else {
            throw CatalogError.badCampaign(reason: "'\(text)' is not a usable campaign name. Use a short name without '/' such as 'market' or 'dormitory-east'")
        }
        return n
    }

    /// nil when neither --announcement nor --lang was given.
    static func parse(_ args: ParsedArguments, manifest: CatalogManifest, name: String) throws -> Campaign? {
        let ids = args.values("announcement"), langs = args.values("lang")
        switch (ids.isEmpty, langs.isEmpty) {
        case (true, true): return nil
        case (false, false):
            throw UsageError.invalid("give either --announcement or --lang, not both: a campaign is a list of announcements or a list of languages.", command: args.spec.name)
        case (false, true):
            if let missing = ids.first(where: { manifest.announcement(id: $0) == nil }) { throw CatalogError.unknownAnnouncement(id: missing) }
            guard Set(ids).count == ids.count else { throw CatalogError.badCampaign(reason: "an announcement is listed twice. List each once, in the order phones should receive them") }
            return Campaign(name: name, announcements: ids, languages: nil)
        case (true, false):
            var tags: [String] = []
            for l in langs {
                do { tags.append(try LanguageTag(l).canonical) } catch { throw UsageError.invalid(String(describing: error), command: args.spec.name) }
            }
            guard Set(tags).count == tags.count else { throw CatalogError.badCampaign(reason: "a language is listed twice. List each once, in order") }
            return Campaign(name: name, announcements: nil, languages: tags)
        }
    }

    static func describe(_ c: Campaign, manifest: CatalogManifest, verb: String?) {
        let what = c.announcements.map { "announcements \($0.joined(separator: ", "))" } ?? "languages \((c.languages ?? []).joined(separator: ", "))"
        let sends = c.selection(from: manifest)
        print("\(verb.map { "\($0) campaign " } ?? "")\(c.name): \(what)")
        if sends.isEmpty {
            print("  sends nothing yet: no approved announcement matches. Approve one with 'psacaster approve ID --by NAME'.")
        } else {
            print("  sends \(sends.count) approved: \(sends.map(\.id).joined(separator: ", "))")
        }
    }
}
