import Foundation

/// The catalog on disk: `<root>/catalog.json` and one folder per language
/// holding the `.opus` files.
///
/// Crash safety rests on three rules: (1) every file is written under a
/// temporary name, fsynced and renamed (`DurableFile`); (2) a file is in
/// place before the manifest points at it, and is removed only after the
/// manifest stopped pointing at it, so whatever instant a writer dies the
/// manifest's entries are complete (at worst an unreferenced file is left,
/// which `catalog verify` reports and `--repair` quarantines); (3) writers
/// are serialised by `CatalogLock`, re-reading the manifest under the lock.
///
/// Readers (the broadcast service) call `load()` without the lock: the
/// manifest is only ever replaced whole by rename. They notice changes by
/// comparing `changeToken()` (or on SIGHUP) and should read a file through
/// `verifiedContents(of:)` so a tampered file is never sent.
final class CatalogStore {
    static let manifestName = "catalog.json"
    /// The last manifest psacaster wrote, to restore after a broken hand edit.
    static let backupName = ".catalog.backup.json"
    static let lockName = ".lock"
    static let stagingName = ".staging"
    static let quarantineName = "quarantine"
    static let environmentVariable = "PSACASTER_CATALOG"

    let root: URL
    var manifestURL: URL { root.appendingPathComponent(Self.manifestName) }
    var backupURL: URL { root.appendingPathComponent(Self.backupName) }
    var stagingURL: URL { root.appendingPathComponent(Self.stagingName) }
    var quarantineURL: URL { root.appendingPathComponent(Self.quarantineName) }

    init(root: URL) { self.root = root.standardizedFileURL }

    /// Where the catalog is: `--catalog DIR`, else `$PSACASTER_CATALOG`,
    /// else `./Audio` in the current folder.
    static func locate(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> CatalogStore {
        let path = option ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "Audio"
        return CatalogStore(root: URL(fileURLWithPath: path))
    }

    static let locationHelp = "Catalog folder (default: $\(environmentVariable), else ./Audio)."

    // MARK: Reading

    var exists: Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// For commands that change an existing catalog (never create one by mistake).
    func requireExisting() throws {
        guard exists else { throw CatalogError.noCatalog(path: root.path) }
    }

    /// The current manifest. A folder without catalog.json is an empty catalog.
    func load() throws -> CatalogManifest {
        try requireExisting()
        return try Self.readManifest(at: manifestURL) ?? CatalogManifest()
    }

    /// nil when the file does not exist.
    static func readManifest(at url: URL) throws -> CatalogManifest? {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw CatalogError.io(operation: "read", path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try CatalogManifest.decode(data, path: url.path)
    }

    /// Changes whenever a writer replaces the manifest (each write is a new
    /// inode), so a service can poll it cheaply.
    struct ChangeToken: Equatable {
        let device: UInt64, inode: UInt64, size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int
    }

    func changeToken() -> ChangeToken? {
        var st = stat()
        guard stat(manifestURL.path, &st) == 0 else { return nil }
        return ChangeToken(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                           modifiedSeconds: st.st_mtim.tv_sec, modifiedNanoseconds: st.st_mtim.tv_nsec)
    }

    func fileURL(for announcement: Announcement) -> URL {
        root.appendingPathComponent(announcement.file)
    }

    /// The announcement's bytes, checked against the manifest's size and
    /// sha256: a missing or tampered file throws instead of going out.
    func verifiedContents(of announcement: Announcement) throws -> Data {
        let url = fileURL(for: announcement)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CatalogError.io(operation: "read", path: url.path, reason: "the file is missing. Run 'psacaster catalog verify --repair'")
        }
        guard data.count == announcement.sizeBytes, Digest.hex(Digest.sha256(data)) == announcement.sha256 else {
            throw CatalogError.io(operation: "use", path: url.path, reason: "its content does not match the catalog (changed or damaged). Run 'psacaster catalog verify --repair'")
        }
        return data
    }

    // MARK: Changing

    /// Runs `change` on the freshest manifest under the writer lock, checks
    /// the result and writes it atomically. Nothing is written when `change`
    /// throws or leaves the manifest as it was.
    @discardableResult
    func update<T>(_ change: (inout CatalogManifest) throws -> T) throws -> T {
        try withLock {
            var manifest = try Self.readManifest(at: manifestURL) ?? CatalogManifest()
            let before = manifest
            let result = try change(&manifest)
            if manifest != before { try write(manifest) }
            return result
        }
    }

    /// Holds the writer lock around `body`; creates the catalog folder if needed
    /// and sweeps what dead writers left behind.
    func withLock<T>(_ body: () throws -> T) throws -> T {
        try createRoot()
        let lock = try CatalogLock(path: root.appendingPathComponent(Self.lockName).path)
        defer { withExtendedLifetime(lock) {} }
        sweepLeftovers()
        return try body()
    }

    /// Now, to the whole second: what catalog.json keeps (ISO 8601), so a
    /// value we hand back equals the one read back later. SOURCE_DATE_EPOCH
    /// pins it, so scripts/make-samples.sh makes the same catalog every time.
    static func timestamp(_ date: Date = Date()) -> Date {
        if let pinned = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            return Date(timeIntervalSince1970: pinned)
        }
        return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The catalog folder, with any missing parents (`--catalog new/place/Audio`).
    private func createRoot() throws {
        if exists { return }
        var missing: [URL] = []
        var dir = root
        while !FileManager.default.fileExists(atPath: dir.path), dir.path != "/" {
            missing.insert(dir, at: 0)
            dir = dir.deletingLastPathComponent()
        }
        for d in missing { try DurableFile.makeDirectory(d) }
    }

    /// Writes the manifest (then its backup copy). Call with the lock held.
    func write(_ manifest: CatalogManifest) throws {
        try manifest.validate(path: manifestURL.path)
        let data = try manifest.encoded()
        try DurableFile.write(data, to: manifestURL)
        // Best effort: the manifest is already safe; a stale backup only
        // means a restore would go back one change further.
        try? DurableFile.write(data, to: backupURL)
    }

    /// A fresh path in the catalog's staging folder (same filesystem, so the
    /// finished file can be renamed into place). Named after our pid so a
    /// later writer can tell a dead writer's leftovers from live work.
    func stagingFile(extension ext: String) throws -> URL {
        try createRoot()
        try DurableFile.makeDirectory(stagingURL)
        return stagingURL.appendingPathComponent("\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(ext)")
    }

    /// What `add` knows about a new announcement before it is in the catalog.
    struct Draft {
        var title: String
        var language: LanguageTag
        var helpline: String?
        var source: String
        var durationSeconds: Double
        /// The delivery name; derived from the title when nil.
        var fileName: String?
    }

    /// Refuses a draft the catalog cannot take (duplicate title, taken
    /// name); `add` calls it before encoding and `add(staged:)` again under the lock.
    func check(_ draft: Draft, against manifest: CatalogManifest) throws {
        let key = CatalogManifest.titleKey(draft.title, draft.language.canonical)
        if let twin = manifest.announcements.first(where: { CatalogManifest.titleKey($0.title, $0.language) == key }) {
            throw CatalogError.duplicateTitle(title: draft.title, language: draft.language.canonical, existingID: twin.id)
        }
        if let name = draft.fileName, let owner = manifest.announcements.first(where: { $0.deliveryName.lowercased() == name.lowercased() }) {
            throw CatalogError.fileNameTaken(name: name, existingID: owner.id)
        }
    }

    /// Moves a finished, fsynced `.opus` from staging into its language folder
    /// and then records it in the manifest. Unapproved.
    func add(staged: URL, draft: Draft, created: Date = CatalogStore.timestamp()) throws -> Announcement {
        guard let data = FileManager.default.contents(atPath: staged.path), !data.isEmpty else {
            throw CatalogError.io(operation: "read", path: staged.path, reason: "the encoded file is missing or empty")
        }
        let sha = Digest.hex(Digest.sha256(data))
        return try withLock {
            var manifest = try Self.readManifest(at: manifestURL) ?? CatalogManifest()
            try check(draft, against: manifest)
            let lang = draft.language.canonical
            let slug = DeliveryName.slug(draft.title)
            let ids = Set(manifest.announcements.map(\.id))
            let id = DeliveryName.unique("\(lang.lowercased())-\(slug.isEmpty ? "announcement" : slug)", taken: ids)
            let names = Set(manifest.announcements.map { $0.deliveryName.lowercased() })
            let fileName = draft.fileName ?? DeliveryName.unique(slug.isEmpty ? "announcement-\(lang.lowercased())" : slug, suffix: ".opus", taken: names)
            let announcement = Announcement(
                id: id, title: draft.title, language: lang, helpline: draft.helpline,
                file: "\(lang)/\(fileName)", durationSeconds: draft.durationSeconds,
                sizeBytes: data.count, sha256: sha, created: created, source: draft.source, approval: nil)
            let folder = root.appendingPathComponent(lang)
            try DurableFile.makeDirectory(folder)
            let destination = fileURL(for: announcement)
            try DurableFile.rename(staged, to: destination)
            manifest.announcements.append(announcement)
            do {
                try write(manifest)
            } catch {
                // The manifest never pointed at it: take the file back out.
                try? DurableFile.remove(destination)
                throw error
            }
            return announcement
        }
    }

    /// Drops an announcement (and its place in campaigns) from the manifest,
    /// then deletes its file. Returns it and the campaigns it was taken out of.
    func remove(id: String) throws -> (Announcement, [String]) {
        let (removed, touched): (Announcement, [String]) = try update { manifest in
            guard let index = manifest.announcements.firstIndex(where: { $0.id == id }) else {
                throw CatalogError.unknownAnnouncement(id: id)
            }
            let removed = manifest.announcements.remove(at: index)
            var touched: [String] = []
            for i in manifest.campaigns.indices {
                if let list = manifest.campaigns[i].announcements, list.contains(id) {
                    manifest.campaigns[i].announcements = list.filter { $0 != id }
                    touched.append(manifest.campaigns[i].name)
                }
            }
            return (removed, touched)
        }
        // After the manifest let go of it. If we die here the file is only an
        // unreferenced leftover that verify reports.
        try? DurableFile.remove(fileURL(for: removed))
        return (removed, touched)
    }

    /// Deletes temporary and staging files whose writer process is gone.
    /// Called with the lock held, so no live writer is renaming them now;
    /// files of a live process (an encode in progress) are left alone.
    private func sweepLeftovers() {
        let fm = FileManager.default
        /// Names start with their writer's pid ("<pid>-…", or ".<pid>-…" for
        /// the encoder's own temporary next to our staging file). A name with
        /// no pid is left alone unless a day old.
        func ownerIsDead(_ url: URL, after prefix: String) -> Bool {
            var name = Substring(url.lastPathComponent)
            guard name.hasPrefix(prefix) else { return false }
            name = name.dropFirst(prefix.count)
            if name.hasPrefix(".") { name = name.dropFirst() }
            guard let pid = Int32(name.prefix { $0.isNumber }) else {
                let modified = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date()
                return Date().timeIntervalSince(modified) > 86_400
            }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        var folders = [root]
        if let entries = try? fm.contentsOfDirectory(atPath: root.path) {
            for e in entries where !e.hasPrefix(".") { folders.append(root.appendingPathComponent(e)) }
        }
        for folder in folders {
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let url = folder.appendingPathComponent(name)
                if ownerIsDead(url, after: DurableFile.temporaryPrefix) { unlink(url.path) }
            }
        }
        // Staging holds files and (for receive) upload folders.
        for name in (try? fm.contentsOfDirectory(atPath: stagingURL.path)) ?? [] {
            let url = stagingURL.appendingPathComponent(name)
            if ownerIsDead(url, after: "") { try? fm.removeItem(at: url) }
        }
    }
}
