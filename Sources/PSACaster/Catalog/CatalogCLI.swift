import Foundation

/// Pieces every catalog command shares: the --catalog option and how an
/// announcement reads in a table.
enum CatalogCLI {
    static let catalogOption = OptionSpec.value("catalog", "DIR", help: "Catalog folder. Without it: $\(CatalogStore.environmentVariable) if set, else ./Audio.")
    static let locationDiscussion = "The catalog is the folder given by --catalog, else $\(CatalogStore.environmentVariable), else ./Audio in the current folder."

    static func store(_ args: ParsedArguments) -> CatalogStore {
        CatalogStore.locate(option: args.value("catalog"))
    }

    /// The catalog, which must already exist (remove, approve, campaign edit…).
    static func existingStore(_ args: ParsedArguments) throws -> CatalogStore {
        let store = store(args)
        try store.requireExisting()
        return store
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : String(format: "%.1f KB", Double(bytes) / 1024)
    }

    static func state(_ a: Announcement) -> String {
        if a.isApproved { return "approved" }
        return a.source == "received" ? "inbox" : "unapproved"
    }

    static let dateFormatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()

    /// Left-aligned columns, two spaces apart.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
