import Foundation

/// A byte stream to one peer, with deadlines. The OBEX protocol logic is
/// written against this and never knows whether it runs over RFCOMM, TCP or a
/// socketpair in a unit test.
///
/// A transport is used by one thread at a time, except `interrupt()`, which
/// any thread may call.
public protocol Transport: AnyObject {
    /// Reads up to `maxBytes`, waiting at most until `deadline`.
    /// Returns an empty array when the peer closed the stream.
    /// Throws `TransportError.timedOut` when the deadline passes first.
    func read(maxBytes: Int, deadline: Deadline) throws -> [UInt8]
    /// Writes all of `bytes` before `deadline`, or throws. After a timed-out
    /// write, how much was sent is unknown: the stream is no longer usable.
    func write(_ bytes: [UInt8], deadline: Deadline) throws
    /// Closes the stream; further calls fail. Safe to call twice.
    func close()
    /// Called from another thread to make a blocked `read`/`write` fail soon
    /// (with `TransportError.closed`) and every later one too; used to cancel
    /// a write stuck on a peer that stopped reading. Does not free the
    /// descriptor (`close()` does). The default does nothing, so a
    /// transport without it is cancelled at the next deadline slice.
    func interrupt()
}

extension Transport {
    public func interrupt() {}
}

/// A point in time on the monotonic clock (immune to wall-clock changes).
public struct Deadline: Comparable, Sendable {
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    public static func now() -> Deadline { Deadline(uptimeNanoseconds: MonotonicClock.nowNanoseconds()) }
    public static func after(seconds: Double) -> Deadline {
        let ns = seconds.isFinite ? UInt64(min(max(0, seconds), 1e9) * 1e9) : UInt64.max / 2
        return Deadline(uptimeNanoseconds: now().uptimeNanoseconds &+ ns)
    }
    public static let distantFuture = Deadline(uptimeNanoseconds: .max)

    /// Milliseconds left, clamped to what poll(2) accepts; 0 once passed.
    public var remainingMilliseconds: Int32 {
        let now = MonotonicClock.nowNanoseconds()
        guard uptimeNanoseconds > now else { return 0 }
        return Int32(min(UInt64(Int32.max), (uptimeNanoseconds - now) / 1_000_000 + 1))
    }
    /// Seconds left (negative once passed).
    public var remainingSeconds: Double {
        Double(Int64(bitPattern: uptimeNanoseconds &- MonotonicClock.nowNanoseconds())) / 1e9
    }
    public var hasPassed: Bool { MonotonicClock.nowNanoseconds() >= uptimeNanoseconds }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.uptimeNanoseconds < b.uptimeNanoseconds }
}

enum MonotonicClock {
    static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

public enum TransportError: Error, Equatable, CustomStringConvertible {
    case timedOut
    case closed                 // the peer hung up, the link dropped, or interrupt() was called
    case system(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .timedOut: return "no answer before the deadline"
        case .closed: return "the connection was closed"
        case .system(let op, let e): return "\(op) failed: \(String(cString: strerror(e)))"
        }
    }
}
