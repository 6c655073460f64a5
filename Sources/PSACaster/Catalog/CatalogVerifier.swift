import Foundation

/// What `catalog verify` found (and, with --repair, did).
struct CatalogReport: Encodable {
    struct Problem: Encodable, Equatable {
        var id: String
        var file: String
        /// "missing", "size", "sha256"
        var kind: String
        var detail: String
    }
    var catalog: String
    /// nil when the manifest reads and validates; else why not.
    var manifestProblem: String?
    var announcements = 0
    var campaigns = 0
    var problems: [Problem] = []
    /// Files in language folders the manifest does not point at (left by an
    /// interrupted add or remove). Harmless: never broadcast.
    var leftovers: [String] = []
    var repairs: [String] = []

    /// The catalog is usable as it stands: manifest valid, every entry complete.
    var valid: Bool { manifestProblem == nil && problems.isEmpty }
}

/// Checks the catalog against its manifest and, on request, repairs it by
/// moving what is broken into `quarantine/<time>/` (never deleting anything)
/// and dropping the broken entries from the manifest.
enum CatalogVerifier {
    static func verify(_ store: CatalogStore) throws -> CatalogReport {
        try store.requireExisting()
        // Under the lock when we can take it, so a writer's change in flight
        // does not look like a fault; lockless on a read-only catalog.
        if access(store.root.path, W_OK) == 0 {
            return try store.withLock { inspect(store) }
        }
        return inspect(store)
    }

    private static func inspect(_ store: CatalogStore) -> CatalogReport {
        var report = CatalogReport(catalog: store.root.path)
        let manifest: CatalogManifest
        do {
            manifest = try CatalogStore.readManifest(at: store.manifestURL) ?? CatalogManifest()
        } catch {
            report.manifestProblem = String(describing: error)
            return report
        }
        check(manifest, in: store, into: &report)
        return report
    }

    private static func check(_ manifest: CatalogManifest, in store: CatalogStore, into report: inout CatalogReport) {
        report.announcements = manifest.announcements.count
        report.campaigns = manifest.campaigns.count
        report.problems = manifest.announcements.compactMap { problem(with: $0, in: store) }
        report.leftovers = leftovers(manifest, in: store)
    }

    static func problem(with a: Announcement, in store: CatalogStore) -> CatalogReport.Problem? {
        let url = store.fileURL(for: a)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return .init(id: a.id, file: a.file, kind: "missing", detail: "the file is missing")
        }
        if data.count != a.sizeBytes {
            return .init(id: a.id, file: a.file, kind: "size", detail: "the file has \(data.count) bytes, the catalog says \(a.sizeBytes)")
        }
        if Digest.hex(Digest.sha256(data)) != a.sha256 {
            return .init(id: a.id, file: a.file, kind: "sha256", detail: "the file's sha256 does not match the catalog (changed or damaged)")
        }
        return nil
    }

    /// Regular files in language folders that no entry points at.
    static func leftovers(_ manifest: CatalogManifest, in store: CatalogStore) -> [String] {
        let fm = FileManager.default
        let referenced = Set(manifest.announcements.map(\.file))
        var out: [String] = []
        let folders = ((try? fm.contentsOfDirectory(atPath: store.root.path)) ?? []).sorted()
        for folder in folders where !folder.hasPrefix(".") && folder != CatalogStore.quarantineName {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: store.root.appendingPathComponent(folder).path, isDirectory: &isDir), isDir.boolValue else { continue }
            for name in ((try? fm.contentsOfDirectory(atPath: store.root.appendingPathComponent(folder).path)) ?? []).sorted()
            where !name.hasPrefix(".") && !referenced.contains("\(folder)/\(name)") {
                out.append("\(folder)/\(name)")
            }
        }
        return out
    }

    /// Repairs under the writer lock. A manifest from a newer version, or a
    /// folder that is not a catalog, is refused rather than "repaired".
    static func repair(_ store: CatalogStore, now: Date = Date()) throws -> CatalogReport {
        try store.requireExisting()
        let stamp = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate, .withTime, .withTimeZone])
            .replacingOccurrences(of: ":", with: "")
        let bin = store.quarantineURL.appendingPathComponent(stamp)
        return try store.withLock {
            var report = CatalogReport(catalog: store.root.path)
            var manifest: CatalogManifest
            var moves: [(String, URL)] = []   // (relative path, source) to quarantine once the manifest is safe
            do {
                manifest = try CatalogStore.readManifest(at: store.manifestURL) ?? CatalogManifest()
            } catch let error as CatalogError {
                switch error {
                case .manifestUnreadable, .manifestInvalid:
                    report.manifestProblem = error.description
                    // Kept before the good manifest replaces it.
                    let broken = (try? Data(contentsOf: store.manifestURL)) ?? Data()
                    try DurableFile.makeDirectory(store.quarantineURL)
                    try DurableFile.makeDirectory(bin)
                    try DurableFile.write(broken, to: bin.appendingPathComponent(CatalogStore.manifestName))
                    if let backup = try? CatalogStore.readManifest(at: store.backupURL) {
                        manifest = backup
                        report.repairs.append("restored catalog.json from the last copy psacaster wrote (\(backup.announcements.count) announcements); the broken one is in quarantine/\(stamp)/")
                    } else {
                        manifest = CatalogManifest()
                        report.repairs.append("no usable backup of catalog.json: started an empty manifest; the broken one is in quarantine/\(stamp)/")
                    }
                default:
                    throw error   // newer version, not a catalog, unreadable disk: never "repair" those
                }
            }
            check(manifest, in: store, into: &report)
            let broken = Set(report.problems.map(\.id))
            for p in report.problems {
                report.repairs.append("removed \(p.id) (\(p.file): \(p.detail))" + (p.kind == "missing" ? "" : "; its file is in quarantine/\(stamp)/"))
                if p.kind != "missing" { moves.append((p.file, store.root.appendingPathComponent(p.file))) }
            }
            manifest.announcements.removeAll { broken.contains($0.id) }
            for i in manifest.campaigns.indices {
                if let list = manifest.campaigns[i].announcements, list.contains(where: broken.contains) {
                    manifest.campaigns[i].announcements = list.filter { !broken.contains($0) }
                    report.repairs.append("took the removed announcements out of campaign '\(manifest.campaigns[i].name)'")
                }
            }
            for file in report.leftovers {
                moves.append((file, store.root.appendingPathComponent(file)))
                report.repairs.append("moved unreferenced file \(file) to quarantine/\(stamp)/")
            }
            if report.manifestProblem != nil || !broken.isEmpty {
                try store.write(manifest)
            }
            for (relative, source) in moves {
                let target = bin.appendingPathComponent(relative)
                try DurableFile.makeDirectory(store.quarantineURL)
                try DurableFile.makeDirectory(bin)
                try DurableFile.makeDirectory(target.deletingLastPathComponent())
                try DurableFile.rename(source, to: target)
            }
            // Report the state the catalog is in now.
            var after = CatalogReport(catalog: store.root.path)
            check(manifest, in: store, into: &after)
            after.repairs = report.repairs
            return after
        }
    }
}
