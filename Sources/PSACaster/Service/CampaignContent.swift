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
        (catalog as NSString).appendingPathComponent("catalog.json")
    }

    static func readManifest(catalog: String) throws -> CatalogManifest {
        let path = manifestPath(catalog: catalog)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(message: "catalog: no manifest at \(path). Give the catalog folder with --catalog DIR or \"catalog\" in the config")
        }
        var lastError: Error?
        for strategy in [JSONDecoder.DateDecodingStrategy.iso8601, .deferredToDate, .secondsSince1970] {
            let d = JSONDecoder()
            d.dateDecodingStrategy = strategy
            do { return try d.decode(CatalogManifest.self, from: data) } catch { lastError = error }
        }
        throw LoadError(message: "catalog: \(path) is not a valid manifest (\(describeDecoding(lastError!))). Run 'psacaster catalog verify'")
    }

    static func load(catalog: String, choice: ServiceConfig.CampaignChoice) throws -> CampaignContent {
        let manifest = try readManifest(catalog: catalog)
        guard manifest.format == CatalogManifest.formatName, manifest.version <= CatalogManifest.currentVersion else {
            throw LoadError(message: "catalog: manifest format \(manifest.format) version \(manifest.version) is newer than this psacaster understands. Update psacaster")
        }
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
            let path = (catalog as NSString).appendingPathComponent(a.file)
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append("\(a.id): file \(a.file) is missing"); continue
            }
            let bytes = [UInt8](data)
            guard Digest.hex(Digest.sha256(bytes)) == a.sha256.lowercased() else {
                problems.append("\(a.id): file \(a.file) does not match its recorded sha256"); continue
            }
            items.append(OfferItem(id: a.id, name: a.deliveryName, mimeType: mimeType(for: a.deliveryName), data: bytes))
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

    private static func describeDecoding(_ e: Error) -> String {
        if let d = e as? DecodingError {
            switch d {
            case .keyNotFound(let k, _): return "missing '\(k.stringValue)'"
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
                let path = c.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? c.debugDescription : "bad value at \(path)"
            @unknown default: return "\(d)"
            }
        }
        return "\(e)"
    }
}
