import Foundation

/// Time as the service needs it. Rules (windows, backoff, key rotation) run
/// on the monotonic clock: a Pi has no battery clock and its wall time may
/// jump when it finds one. Hour buckets of the stats use wall time.
protocol ServiceClock: AnyObject {
    /// Seconds on a clock that never goes backwards.
    func monotonic() -> Double
    func wallNow() -> Date
}

final class SystemClock: ServiceClock {
    func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func wallNow() -> Date { Date() }
}

/// A clock tests move by hand.
final class ManualClock: ServiceClock {
    private let lock = NSLock()
    private var mono: Double
    private var wall: Date
    init(monotonic: Double = 1000, wall: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        self.mono = monotonic; self.wall = wall
    }
    func monotonic() -> Double { lock.lock(); defer { lock.unlock() }; return mono }
    func wallNow() -> Date { lock.lock(); defer { lock.unlock() }; return wall }
    func advance(_ seconds: Double) {
        lock.lock(); mono += seconds; wall = wall.addingTimeInterval(seconds); lock.unlock()
    }
}
