import Foundation

/// What the running service is doing, written every few seconds to a small
/// file for `psacaster status`. It holds counts and adapter names only.
struct LiveState: Codable, Equatable {
    struct Adapter: Codable, Equatable {
        var name: String
        /// "scanning", "waiting" (for the adapter to come back), "stopped"
        var state: String
        var transfers: Int
        var problem: String?
    }

    var pid: Int32
    var radio: String
    var startedAt: Date
    var updatedAt: Date
    var campaign: String
    var announcements: [String]
    var adapters: [Adapter]
    var transfersInProgress: Int
    var maxTransfersPerAdapter: Int
    var phonesRemembered: Int
    var stopping: Bool

    var uptimeSeconds: Double { updatedAt.timeIntervalSince(startedAt) }

    /// True if the writing process still exists and wrote recently.
    func isCurrent(now: Date = Date(), staleAfter: Double = 30) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return now.timeIntervalSince(updatedAt) < staleAfter
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static func read(path: String) -> LiveState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try? d.decode(LiveState.self, from: data)
    }
}
