import Foundation
import OBEXPush

/// Closes a link the polite way: after our last answer (a Forbidden to a
/// device not on the allowlist, say), wait for the peer to hang up before
/// closing, so the answer is read instead of being lost in a reset. Seen in
/// the VM: obexd's client crashed when we closed right after answering.
final class LingeringTransport: Transport {
    private let inner: Transport
    let linger: Double

    init(_ inner: Transport, linger: Double = 3) {
        self.inner = inner
        self.linger = linger
    }

    func read(maxBytes: Int, deadline: Deadline) throws -> [UInt8] { try inner.read(maxBytes: maxBytes, deadline: deadline) }
    func write(_ bytes: [UInt8], deadline: Deadline) throws { try inner.write(bytes, deadline: deadline) }
    func interrupt() { inner.interrupt() }

    func close() {
        let end = Deadline.after(seconds: linger)
        // Discard whatever else the peer sends until it closes or time is up.
        while !end.hasPassed {
            guard let bytes = try? inner.read(maxBytes: 4096, deadline: end), !bytes.isEmpty else { break }
        }
        inner.close()
    }
}
