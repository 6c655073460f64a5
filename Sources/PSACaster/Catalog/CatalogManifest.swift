import Foundation

/// `Audio/catalog.json`: what the catalog holds. The format is versioned;
/// a reader refuses a manifest from a newer version instead of guessing.
/// Documented for people in docs/catalog-format.md.
struct CatalogManifest: Codable, Equatable {
    static let formatName = "psacaster-catalog"
    static let currentVersion = 1

    var format: String = CatalogManifest.formatName
    var version: Int = CatalogManifest.currentVersion
    var announcements: [Announcement] = []
    var campaigns: [Campaign] = []

    func announcement(id: String) -> Announcement? { announcements.first { $0.id == id } }
    func campaign(named name: String) -> Campaign? { campaigns.first { $0.name == name } }
}

/// One spoken announcement in one language.
struct Announcement: Codable, Equatable {
    /// Stable, ASCII, unique: used on the command line and in stats.
    var id: String
    var title: String
    /// BCP 47 language tag ("my", "km", "en", "id"); also the folder name.
    var language: String
    /// The helpline text the recording speaks (number, hours), for staff.
    var helpline: String?
    /// Path relative to the catalog folder, e.g. "en/helpline-sample.opus".
    /// Its last component is the neutral ASCII name phones show and keep.
    var file: String
    var durationSeconds: Double
    var sizeBytes: Int
    var sha256: String
    var created: Date
    /// Where it came from: "recorded", "received", "imported", "sample".
    var source: String
    /// Set only when a fluent speaker has checked the recording. Only
    /// approved announcements are ever broadcast.
    var approval: Approval?

    var isApproved: Bool { approval != nil }
    /// The name the phone receives (last path component of `file`).
    var deliveryName: String { (file as NSString).lastPathComponent }
}

struct Approval: Codable, Equatable {
    var by: String
    var at: Date
}

/// A named selection of announcements for one place or event: either an
/// explicit ordered list of announcement ids, or languages in order (every
/// approved announcement of each language, in catalog order).
struct Campaign: Codable, Equatable {
    var name: String
    var announcements: [String]?
    var languages: [String]?

    /// What goes out to each phone, in order: approved announcements only.
    func selection(from manifest: CatalogManifest) -> [Announcement] {
        if let ids = announcements {
            return ids.compactMap { manifest.announcement(id: $0) }.filter(\.isApproved)
        }
        let langs = languages ?? []
        return langs.flatMap { lang in manifest.announcements.filter { $0.language == lang && $0.isApproved } }
    }
}
