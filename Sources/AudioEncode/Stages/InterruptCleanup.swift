import Foundation

/// Removes our temporary files (the output being written, ffmpeg's decode)
/// when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP), so an
/// interrupted encode leaves nothing behind. Paths live in fixed C buffers so
/// the handler only calls async-signal-safe `unlink`. Handlers are installed
/// only where the signal still has its default action, so a host that
/// handles signals itself (the broadcast service) keeps control.
enum InterruptCleanup {
    static let slots = 16
    static let pathMax = 4096
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathMax)
        p.initialize(repeating: 0, count: slots * pathMax)
        return p
    }()
    nonisolated(unsafe) static var installed = false
    static let lock = NSLock()

    /// Registers `path`; returns a slot for `unregister`, or nil if all are busy.
    static func register(_ path: String) -> Int? {
        lock.lock(); defer { lock.unlock() }
        installIfNeeded()
        let bytes = Array(path.utf8)
        guard bytes.count < pathMax else { return nil }
        for slot in 0..<slots where paths[slot * pathMax] == 0 {
            let base = paths + slot * pathMax
            for (i, b) in bytes.enumerated() where i > 0 { base[i] = CChar(bitPattern: b) }
            base[bytes.count] = 0
            base[0] = CChar(bitPattern: bytes[0])   // written last: the slot becomes live
            return slot
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock(); defer { lock.unlock() }
        paths[slot * pathMax] = 0
    }

    private static func installIfNeeded() {
        guard !installed else { return }
        installed = true
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var old = sigaction()
            guard sigaction(sig, nil, &old) == 0, old.__sigaction_handler.sa_handler == nil else { continue }  // nil: SIG_DFL
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                for slot in 0..<InterruptCleanup.slots {
                    let p = InterruptCleanup.paths + slot * InterruptCleanup.pathMax
                    if p[0] != 0 { unlink(p) }
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }
}
