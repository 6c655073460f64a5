import Foundation

/// The service's log: one line per event on stderr (journald adds the time
/// when run under systemd). Callers pass only counts, ids of announcements
/// and per-run phone numbers ("phone #12"), never an address or a device
/// name; `DeviceAddress` redacts itself if one slips into a message.
final class ServiceLog: @unchecked Sendable {
    enum Level: Int, Comparable, CaseIterable {
        case debug = 0, info, warning, error
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warning", "error"][rawValue] }
        init?(name: String) {
            guard let l = Level.allCases.first(where: { $0.name == name }) else { return nil }
            self = l
        }
    }

    private let lock = NSLock()
    private let sink: (String) -> Void
    private var warnedOnce: Set<String> = []
    private var level: Level
    /// Changed by a reload while other threads log: guarded by the lock.
    var minimum: Level {
        get { lock.lock(); defer { lock.unlock() }; return level }
        set { lock.lock(); level = newValue; lock.unlock() }
    }

    init(minimum: Level = .info, sink: @escaping (String) -> Void = ServiceLog.stderrSink) {
        self.level = minimum
        self.sink = sink
    }

    static func stderrSink(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func log(_ level: Level, _ message: String) {
        lock.lock(); defer { lock.unlock() }
        guard level >= self.level else { return }
        sink(level == .info ? message : "\(level.name): \(message)")
    }

    func debug(_ m: @autoclosure () -> String) { if minimum <= .debug { log(.debug, m()) } }
    func info(_ m: String) { log(.info, m) }
    func warning(_ m: String) { log(.warning, m) }
    func error(_ m: String) { log(.error, m) }

    /// A warning printed only the first time `topic` comes up (a full disk
    /// must not flood the journal), until `clear(topic)`.
    func warnOnce(_ topic: String, _ message: String) {
        lock.lock()
        let first = warnedOnce.insert(topic).inserted
        lock.unlock()
        if first { warning(message) }
    }

    /// Returns true if `topic` had been warned about (so a recovery line is due).
    @discardableResult
    func clear(_ topic: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return warnedOnce.remove(topic) != nil
    }
}
