import Foundation

/// A one-way "stop now" shared between the service and its workers. Waits
/// that take long (scan windows, backoff pauses) use `sleep(_:)`, which
/// returns early once cancelled, so stopping never waits for a timer.
final class Cancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false
    private var handlers: [() -> Void] = []

    var isCancelled: Bool { condition.lock(); defer { condition.unlock() }; return cancelled }

    func cancel() {
        condition.lock()
        guard !cancelled else { condition.unlock(); return }
        cancelled = true
        let hs = handlers
        handlers = []
        condition.broadcast()
        condition.unlock()
        for h in hs { h() }
    }

    /// Runs `handler` on cancel (at once if already cancelled).
    func onCancel(_ handler: @escaping () -> Void) {
        condition.lock()
        if cancelled { condition.unlock(); handler(); return }
        handlers.append(handler)
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns false if cancelled first.
    @discardableResult
    func sleep(_ seconds: Double) -> Bool {
        let until = Date(timeIntervalSinceNow: max(0, seconds))
        condition.lock(); defer { condition.unlock() }
        while !cancelled {
            if !condition.wait(until: until) { return !cancelled }
        }
        return false
    }
}
