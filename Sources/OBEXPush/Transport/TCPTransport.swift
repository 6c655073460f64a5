// CBluetooth includes <sys/socket.h> textually, so in a whole-module (release)
// build it, not Glibc, owns SOCK_STREAM and friends; import it to see them.
import CBluetooth
import Foundation

/// OBEX over TCP (port 650 by convention): used by `--tcp`, tests and
/// benchmarks. Connecting is bounded by a deadline.
public enum TCPTransport {
    public static let defaultPort: UInt16 = 650

    /// Connects to `host:port` (numeric address or name), trying each
    /// resolved address until one answers before the deadline.
    public static func connect(host: String, port: UInt16, deadline: Deadline) throws -> SocketTransport {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw OBEXPushError.cannotResolve(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var lastError: Error = TransportError.closed
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            do {
                return try connectOne(ai.pointee, deadline: deadline)
            } catch {
                lastError = error
                if case TransportError.timedOut = error { break }
            }
        }
        throw lastError
    }

    private static func connectOne(_ ai: addrinfo, deadline: Deadline) throws -> SocketTransport {
        let fd = socket(ai.ai_family, ai.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), ai.ai_protocol)
        guard fd >= 0 else { throw TransportError.system(operation: "socket", errno: errno) }
        var ok = false
        defer { if !ok { Glibc.close(fd) } }
        var one: Int32 = 1
        // Request/response traffic: Nagle would hold back each small packet.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, ai.ai_addr, ai.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw TransportError.system(operation: "connect", errno: errno) }
            while true {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let remaining = deadline.remainingMilliseconds
                if remaining == 0 { throw TransportError.timedOut }
                let n = poll(&p, 1, remaining)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw TransportError.system(operation: "poll", errno: errno) }
                if n == 0 { continue }   // loop re-checks the deadline
                break
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 { throw TransportError.system(operation: "connect", errno: soError) }
        }
        ok = true
        return SocketTransport(adopting: fd)
    }
}

/// A listening TCP socket that hands out one `SocketTransport` per client.
public final class TCPListener {
    private let lock = NSLock()
    private var fd: Int32
    /// The port actually bound (useful after binding port 0).
    public let port: UInt16
    public let host: String

    /// Binds and listens. Use 127.0.0.1 in tests; port 0 picks a free port.
    public init(host: String = "127.0.0.1", port: UInt16, backlog: Int32 = 8) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let ai = list else {
            throw OBEXPushError.cannotResolve(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(ai) }
        let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), ai.pointee.ai_protocol)
        guard s >= 0 else { throw TransportError.system(operation: "socket", errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let e = errno; Glibc.close(s)
            throw TransportError.system(operation: "bind to \(host):\(port)", errno: e)
        }
        guard listen(s, backlog) == 0 else {
            let e = errno; Glibc.close(s)
            throw TransportError.system(operation: "listen", errno: e)
        }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        let family = storage.ss_family
        let bound: UInt16 = withUnsafePointer(to: &storage) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        self.fd = s
        self.port = bound
        self.host = host
    }

    deinit { close() }

    /// Waits for the next client until `deadline`; throws
    /// `TransportError.timedOut` if none came, `.closed` after `close()`.
    public func accept(deadline: Deadline = .distantFuture) throws -> SocketTransport {
        while true {
            // The lock is held through one short poll slice and the accept,
            // so close() from another thread can never free the descriptor
            // under us; it waits at most one slice.
            lock.lock()
            let s = fd
            guard s >= 0 else { lock.unlock(); throw TransportError.closed }
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { lock.unlock(); throw TransportError.timedOut }
            var p = pollfd(fd: s, events: Int16(POLLIN), revents: 0)
            let n = poll(&p, 1, min(remaining, 200))
            let pollErrno = errno
            var c: Int32 = -1
            var acceptErrno: Int32 = 0
            if n > 0 {
                c = Glibc.accept(s, nil, nil)
                acceptErrno = errno
                if c >= 0 { _ = fcntl(c, F_SETFD, FD_CLOEXEC) }
            }
            lock.unlock()
            if n < 0 && pollErrno != EINTR { throw TransportError.system(operation: "poll", errno: pollErrno) }
            if n <= 0 { continue }
            if c >= 0 {
                var one: Int32 = 1
                _ = setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return SocketTransport(adopting: c)
            }
            switch acceptErrno {
            case EINTR, EAGAIN, ECONNABORTED, EPROTO: continue
            case let e: throw TransportError.system(operation: "accept", errno: e)
            }
        }
    }

    /// Stops listening; a thread blocked in `accept` returns within ~200 ms.
    public func close() {
        lock.lock(); defer { lock.unlock() }
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
