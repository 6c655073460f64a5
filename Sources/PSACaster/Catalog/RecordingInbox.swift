import Foundation
import OBEXPush

/// Where recordings beamed from field staff's phones go (`psacaster receive`):
/// each object the OBEX server stored is put through `add` with source
/// "received" — the inbox state: unapproved, never broadcast until a fluent
/// speaker approves it — and the raw upload is then deleted.
///
/// Only sessions from allowlisted devices get this delegate; everyone else
/// gets `RefusingDelegate`. Nothing here ever sees or logs an address.
final class RecordingInbox: ObjectPushServerDelegate {
    let store: CatalogStore
    let language: LanguageTag
    /// Where the OBEX server stores uploads before they are added.
    let uploads: URL
    /// One line per event, for the operator (stdout).
    private let report: (String) -> Void
    private let lock = NSLock()
    private var _added: [Announcement] = []
    var added: [Announcement] { lock.lock(); defer { lock.unlock() }; return _added }

    init(store: CatalogStore, language: LanguageTag, report: @escaping (String) -> Void) throws {
        self.store = store
        self.language = language
        self.report = report
        uploads = try store.stagingFile(extension: "inbox")
        try DurableFile.makeDirectory(uploads)
    }

    deinit { try? FileManager.default.removeItem(at: uploads) }

    private var pending: [ReceivedObject] = []

    /// Called before the server answers the final PUT: only note the file,
    /// so the phone hears "success" at once instead of waiting for an encode.
    func didReceive(_ object: ReceivedObject) {
        lock.lock(); pending.append(object); lock.unlock()
    }

    /// Adds what arrived (call when the session has ended). Each upload is
    /// deleted once it is in the catalog or was refused by `add`.
    func processPending() {
        lock.lock(); let objects = pending; pending = []; lock.unlock()
        for object in objects { add(object) }
    }

    private func add(_ object: ReceivedObject) {
        defer { unlink(object.path) }
        let url = URL(fileURLWithPath: object.path)
        do {
            let title = try uniqueTitle(for: object.fileName)
            let draft = CatalogStore.Draft(title: title, language: language, helpline: nil, source: "received", durationSeconds: 0, fileName: nil)
            let (a, _) = try store.addRecording(at: url, draft: draft)
            lock.lock(); _added.append(a); lock.unlock()
            report("Received \(object.fileName) (\(CatalogCLI.size(object.byteCount))): added as \(a.id) in the inbox, unapproved. Listen with 'psacaster play \(a.id)', then 'psacaster approve \(a.id) --by NAME'.")
        } catch {
            Console.error("receive: \(object.fileName) arrived but could not be added: \(error)")
        }
    }

    func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure) {
        if case .stopped = reason { return }
        Console.error("receive: \(offer?.fileName ?? "an object") was not received: \(reason). Send it again")
    }

    /// "Voice 012.m4a" → "Voice 012 (received)", made unique in the language.
    func uniqueTitle(for fileName: String) throws -> String {
        let stem = (fileName as NSString).deletingPathExtension.replacingOccurrences(of: "_", with: " ")
        let base = "\(stem.isEmpty ? "Recording" : String(stem.prefix(80))) (received)"
        let manifest = store.exists ? try store.load() : CatalogManifest()
        let taken = Set(manifest.announcements.map { CatalogManifest.titleKey($0.title, $0.language) })
        var title = base, n = 2
        while taken.contains(CatalogManifest.titleKey(title, language.canonical)) { title = "\(base) \(n)"; n += 1 }
        return title
    }
}

/// For devices not on the allowlist: CONNECT is answered 0xC3 Forbidden.
final class RefusingDelegate: ObjectPushServerDelegate {
    func shouldAcceptConnection() -> Bool { false }
    func decide(on offer: IncomingOffer) -> OfferDecision { .decline }
}

/// The staff phones allowed to beam recordings, by Bluetooth address.
struct ReceiveAllowlist {
    private let addresses: Set<String>
    var count: Int { addresses.count }

    /// Throws a usage-style message for anything that is not an address.
    init(_ texts: [String]) throws {
        var set = Set<String>()
        for t in texts {
            let normalized = t.replacingOccurrences(of: "-", with: ":").uppercased()
            let parts = normalized.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else {
                throw UsageError.badValue("--allow", value: t, expected: "a Bluetooth address like 00:11:22:33:44:55 (the phone's Settings › About › Status)", command: "receive")
            }
            set.insert(normalized)
        }
        addresses = set
    }

    func allows(_ address: String) -> Bool { addresses.contains(address.uppercased()) }
}
