import Foundation

/// One announcement ready to go out: its bytes are read once when the
/// campaign is loaded, so editing the catalog mid-transfer cannot tear a file.
struct OfferItem: Equatable {
    let id: String
    /// The name the phone shows and keeps (neutral, from the catalog).
    let name: String
    let mimeType: String
    let data: [UInt8]
}

/// The announcements the service offers to each phone, in order, as chosen
/// by the config's campaign from the catalog's approved announcements.
struct CampaignContent: Equatable {
    let campaignName: String
    let items: [OfferItem]
    /// Announcements left out, with why (missing file, hash mismatch).
    let problems: [String]

    var ids: [String] { items.map(\.id) }

    struct LoadError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func manifestPath(catalog: String) -> String {
        (catalog as NSString).appendingPathComponent(CatalogStore.manifestName)
    }

    /// Changes whenever the catalog's manifest is replaced (the store writes
    /// a new file each time), so the service can notice edits cheaply.
    static func changeToken(catalog: String) -> CatalogStore.ChangeToken? {
        CatalogStore(root: URL(fileURLWithPath: catalog)).changeToken()
    }

    /// Reads the catalog through its store (the same checks as the catalog
    /// commands): only approved announcements whose file matches its
    /// recorded size and sha256 go out.
    static func load(catalog: String, choice: ServiceConfig.CampaignChoice) throws -> CampaignContent {
        let store = CatalogStore(root: URL(fileURLWithPath: catalog))
        let manifest: CatalogManifest
        do { manifest = try store.load() } catch { throw LoadError(message: "\(error)") }
        let campaign: Campaign
        switch choice {
        case .named(let name):
            guard let c = manifest.campaign(named: name) else {
                let known = manifest.campaigns.map(\.name).joined(separator: ", ")
                throw LoadError(message: "catalog has no campaign '\(name)' (it has: \(known.isEmpty ? "none" : known)). Fix \"campaign\" in the config or create it with 'psacaster campaign create'")
            }
            campaign = c
        case .inline(let c):
            campaign = c
        case .catalogDefault:
            campaign = manifest.campaigns.first
                ?? Campaign(name: "all approved", announcements: manifest.announcements.map(\.id), languages: nil)
        }
        var items: [OfferItem] = []
        var problems: [String] = []
        for a in campaign.selection(from: manifest) {
            do {
                let bytes = [UInt8](try store.verifiedContents(of: a))
                items.append(OfferItem(id: a.id, name: a.deliveryName, mimeType: mimeType(for: a.deliveryName), data: bytes))
            } catch {
                problems.append("\(a.id): \(error)")
            }
        }
        return CampaignContent(campaignName: campaign.name, items: items, problems: problems)
    }

    /// Android decides by extension; `audio/ogg` is what it maps `.opus` and `.ogg` to.
    static func mimeType(for name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "opus", "ogg", "oga": return "audio/ogg"
        case "mp3": return "audio/mpeg"
        case "m4a": return "audio/mp4"
        case "wav": return "audio/x-wav"
        case "amr": return "audio/amr"
        default: return "application/octet-stream"
        }
    }
}
