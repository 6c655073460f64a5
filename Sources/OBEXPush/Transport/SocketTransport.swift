// CBluetooth includes <sys/socket.h> textually, so in a whole-module (release)
// build it, not Glibc, owns SOCK_STREAM and friends; import it to see them.
import CBluetooth
import Foundation

/// A `Transport` over a connected stream socket it owns: TCP, a Unix
/// socketpair, or an RFCOMM socket (an RFCOMM connector can adopt its
/// connected descriptor with `init(adopting:)`). Non-blocking I/O with
/// poll(2), so every call honours its deadline.
public final class SocketTransport: Transport {
    private let lock = NSLock()
    private var fd: Int32
    private var interrupted = false
    /// poll() wakes at least this often to notice `interrupt()`.
    private static let sliceMilliseconds: Int32 = 200

    /// Takes ownership of a connected stream socket; `close()`/deinit close it.
    public init(adopting fd: Int32) {
        self.fd = fd
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    deinit { close() }

    /// The descriptor, or -1 once closed (for diagnostics and tests).
    public var fileDescriptor: Int32 { lock.lock(); defer { lock.unlock() }; return fd }

    /// Two connected transports (AF_UNIX stream socketpair), for tests.
    public static func pair() throws -> (SocketTransport, SocketTransport) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw TransportError.system(operation: "socketpair", errno: errno)
        }
        return (SocketTransport(adopting: fds[0]), SocketTransport(adopting: fds[1]))
    }

    private func usableDescriptor() throws -> Int32 {
        lock.lock(); defer { lock.unlock() }
        if interrupted || fd < 0 { throw TransportError.closed }
        return fd
    }

    /// Waits until `events` is ready, the deadline passes, or interrupt().
    func wait(for events: Int16, deadline: Deadline) throws {
        while true {
            let fd = try usableDescriptor()
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 && deadline.hasPassed { throw TransportError.timedOut }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&p, 1, min(remaining, Self.sliceMilliseconds))
            if rc < 0 {
                if errno == EINTR { continue }
                throw TransportError.system(operation: "poll", errno: errno)
            }
            if rc > 0 { return }   // ready, or HUP/ERR: the next syscall says which
        }
    }

    public func read(maxBytes: Int, deadline: Deadline) throws -> [UInt8] {
        precondition(maxBytes > 0)
        while true {
            let fd = try usableDescriptor()
            var buffer = [UInt8](repeating: 0, count: maxBytes)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maxBytes, 0) }
            if n > 0 {
                if n < maxBytes { buffer.removeSubrange(n...) }
                return buffer
            }
            if n == 0 { return [] }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), deadline: deadline)
            case let e: throw Self.linkError(e, operation: "read")
            }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var sent = 0
        while sent < bytes.count {
            let fd = try usableDescriptor()
            let n = bytes.withUnsafeBytes { buf in
                send(fd, buf.baseAddress! + sent, buf.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 { sent += n; continue }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), deadline: deadline)
            case let e: throw Self.linkError(e, operation: "write")
            }
        }
    }

    /// Errors that mean the peer or the radio link went away are `.closed`
    /// (what the protocol layer calls "link lost"); anything else keeps its errno.
    public static func linkError(_ e: Int32, operation: String) -> TransportError {
        switch e {
        case ECONNRESET, ECONNABORTED, ENOTCONN, EPIPE, ETIMEDOUT, EHOSTDOWN, EHOSTUNREACH, ENETDOWN:
            return .closed
        default:
            return .system(operation: operation, errno: e)
        }
    }

    public func interrupt() {
        lock.lock(); defer { lock.unlock() }
        interrupted = true
        // shutdown() wakes a poll() in another thread at once; the descriptor
        // stays allocated so it cannot be reused under that thread.
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}

