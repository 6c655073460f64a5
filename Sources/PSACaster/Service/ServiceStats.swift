import Foundation

/// The only thing the service writes about phones: counts, per hour (UTC)
/// and per announcement. No token, no ordinal, no time finer than the hour.
struct ServiceStats: Codable, Equatable {
    static let formatName = "psacaster-stats"
    static let currentVersion = 1

    struct Counts: Codable, Equatable {
        var seen = 0           // distinct phones sighted (once per hour)
        var offered = 0        // phones (or, per announcement, offers made)
        var delivered = 0
        var declined = 0
        var failed = 0
        var cannotReceive = 0

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(seen: a.seen + b.seen, offered: a.offered + b.offered, delivered: a.delivered + b.delivered,
                   declined: a.declined + b.declined, failed: a.failed + b.failed,
                   cannotReceive: a.cannotReceive + b.cannotReceive)
        }
    }

    struct Hour: Codable, Equatable {
        var hour: String                       // "2026-12-04T16:00Z"
        var phones = Counts()
        var announcements: [String: Counts] = [:]
    }

    var format = ServiceStats.formatName
    var version = ServiceStats.currentVersion
    var hours: [Hour] = []

    var totals: Counts { hours.reduce(Counts()) { $0 + $1.phones } }
    var perAnnouncement: [String: Counts] {
        var out: [String: Counts] = [:]
        for h in hours { for (id, c) in h.announcements { out[id, default: Counts()] = out[id, default: Counts()] + c } }
        return out
    }

    /// "2026-12-04T16:00Z". By hand with gmtime_r: DateFormatter would load
    /// ICU's data (megabytes of resident memory) for one format.
    static func hourLabel(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):00Z"
    }
}

/// Keeps the counts in memory and saves them atomically now and then; a
/// failed save (full disk, read-only card) warns once and is retried, and
/// the service keeps broadcasting.
final class StatsStore {
    enum LoadError: Error, CustomStringConvertible {
        case unreadable(String, String)
        var description: String {
            switch self {
            case .unreadable(let p, let why): return "stats file \(p) is unreadable (\(why)). Move it aside; the service starts a new one"
            }
        }
    }

    let path: String
    private let lock = NSLock()
    private let clock: ServiceClock
    private let log: ServiceLog
    private var stats: ServiceStats
    private var dirty = false
    /// Hours kept in the file (about 90 days): older ones are dropped.
    let keepHours = 24 * 90

    init(path: String, clock: ServiceClock, log: ServiceLog) {
        self.path = path
        self.clock = clock
        self.log = log
        if let loaded = try? StatsStore.load(path: path) {
            stats = loaded
        } else {
            if FileManager.default.fileExists(atPath: path) {
                // Atomic writes make this unlikely; keep the evidence, start afresh.
                let aside = path + ".unreadable"
                _ = try? FileManager.default.removeItem(atPath: aside)
                _ = try? FileManager.default.moveItem(atPath: path, toPath: aside)
                log.warning("stats file was unreadable; kept it as \(aside) and started new counts")
            }
            stats = ServiceStats()
        }
    }

    static func load(path: String) throws -> ServiceStats {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let s = try JSONDecoder().decode(ServiceStats.self, from: data)
        guard s.format == ServiceStats.formatName, s.version <= ServiceStats.currentVersion else {
            throw LoadError.unreadable(path, "unknown format or newer version")
        }
        return s
    }

    var snapshot: ServiceStats { lock.lock(); defer { lock.unlock() }; return stats }

    /// The current hour bucket as a number (hours since 1970), for "seen once per hour".
    func currentHourNumber() -> Int { Int(clock.wallNow().timeIntervalSince1970 / 3600) }

    func add(phones: ServiceStats.Counts = .init(), announcement: String? = nil, _ counts: ServiceStats.Counts = .init()) {
        lock.lock(); defer { lock.unlock() }
        let label = ServiceStats.hourLabel(clock.wallNow())
        if stats.hours.last?.hour != label {
            stats.hours.append(ServiceStats.Hour(hour: label))
            if stats.hours.count > keepHours { stats.hours.removeFirst(stats.hours.count - keepHours) }
        }
        let i = stats.hours.count - 1
        stats.hours[i].phones = stats.hours[i].phones + phones
        if let announcement {
            stats.hours[i].announcements[announcement, default: .init()] =
                stats.hours[i].announcements[announcement, default: .init()] + counts
        }
        dirty = true
    }

    /// Saves if anything changed. Returns false if the save failed.
    @discardableResult
    func flush() -> Bool {
        lock.lock()
        guard dirty else { lock.unlock(); return true }
        let copy = stats
        dirty = false
        lock.unlock()
        do {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try enc.encode(copy), to: path)
            if log.clear("stats-save") { log.info("stats saved again to \(path)") }
            return true
        } catch {
            lock.lock(); dirty = true; lock.unlock()
            let full = (error as? AtomicFile.WriteError)?.isDiskFull == true
            log.warnOnce("stats-save", full
                ? "disk full: counts are kept in memory and saved when space frees up; broadcasting continues"
                : "cannot save stats: \(error); broadcasting continues, retrying")
            return false
        }
    }
}
