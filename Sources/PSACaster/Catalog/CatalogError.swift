import Foundation

/// Everything that can go wrong with the catalog, phrased for field staff:
/// `<what failed>: <why>. <what to do>` (the CLI adds "psacaster: ").
enum CatalogError: Error, CustomStringConvertible, Equatable {
    case noCatalog(path: String)
    case manifestUnreadable(path: String, reason: String)
    case manifestInvalid(path: String, reason: String)
    case manifestFromNewerVersion(path: String, version: Int)
    case notACatalog(path: String, format: String)
    case unknownLanguage(code: String, hint: String)
    case malformedLanguageTag(code: String, reason: String)
    case duplicateTitle(title: String, language: String, existingID: String)
    case badTitle(reason: String)
    case badFileName(name: String, reason: String)
    case fileNameTaken(name: String, existingID: String)
    case unknownAnnouncement(id: String)
    case unknownCampaign(name: String)
    case campaignExists(name: String)
    case badCampaign(reason: String)
    case busy(path: String)
    case diskFull(path: String)
    case io(operation: String, path: String, reason: String)

    var description: String {
        switch self {
        case .noCatalog(let p):
            return "catalog: no catalog at \(p). Add a first announcement with 'psacaster add', or point to the catalog with --catalog DIR or PSACASTER_CATALOG"
        case .manifestUnreadable(let p, let r):
            return "catalog: \(p) is not valid JSON (\(r)). Fix it by hand, or run 'psacaster catalog verify --repair' to restore the last copy psacaster wrote"
        case .manifestInvalid(let p, let r):
            return "catalog: \(p) is not a valid catalog (\(r)). Fix it by hand, or run 'psacaster catalog verify --repair' to restore the last copy psacaster wrote"
        case .manifestFromNewerVersion(let p, let v):
            return "catalog: \(p) is format version \(v), newer than this psacaster understands (\(CatalogManifest.currentVersion)). Upgrade psacaster; the catalog was left untouched"
        case .notACatalog(let p, let f):
            return "catalog: \(p) is not a psacaster catalog (format '\(f)'). Point --catalog at the folder that holds the announcements"
        case .unknownLanguage(let c, let hint):
            return "language: '\(c)' is not an ISO 639 language code. \(hint)"
        case .malformedLanguageTag(let c, let r):
            return "language: '\(c)' is not a valid BCP 47 tag (\(r)). Use a plain ISO 639 code such as 'my', 'km', 'lo', 'tl', 'vi', 'id', 'th' or 'en', optionally with a region ('pt-BR')"
        case .duplicateTitle(let t, let l, let id):
            return "add: the catalog already has an announcement titled '\(t)' in '\(l)' (\(id)). Choose another --title, or remove \(id) first"
        case .badTitle(let r):
            return "add: bad --title: \(r). Give a short title staff will recognise"
        case .badFileName(let n, let r):
            return "add: bad --file-name '\(n)': \(r). Use a short neutral ASCII name such as 'info-point.opus'"
        case .fileNameTaken(let n, let id):
            return "add: the delivery name '\(n)' is already used by \(id). Choose another --file-name"
        case .unknownAnnouncement(let id):
            return "catalog: no announcement with id '\(id)'. Run 'psacaster list' to see the ids"
        case .unknownCampaign(let n):
            return "campaign: no campaign named '\(n)'. Run 'psacaster campaign list' to see them"
        case .campaignExists(let n):
            return "campaign: a campaign named '\(n)' already exists. Change it with 'psacaster campaign edit \(n)', or choose another name"
        case .badCampaign(let r):
            return "campaign: \(r)"
        case .busy(let p):
            return "catalog: \(p) is being changed by another psacaster and stayed locked. Wait for it to finish and try again"
        case .diskFull(let p):
            return "catalog: the disk holding \(p) is full; nothing was changed. Free some space (or remove old announcements) and try again"
        case .io(let op, let p, let r):
            return "catalog: cannot \(op) \(p): \(r). Check the folder exists and is writable (permissions, read-only disk)"
        }
    }

    /// Maps an errno from a failed write into the error staff can act on.
    static func fromErrno(_ code: Int32, operation: String, path: String) -> CatalogError {
        if code == ENOSPC || code == EDQUOT { return .diskFull(path: path) }
        return .io(operation: operation, path: path, reason: String(cString: strerror(code)))
    }
}
