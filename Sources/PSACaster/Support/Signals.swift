import Foundation

enum Signals {
    /// A peer that hangs up must give EPIPE on write, not kill the process.
    static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }
}
