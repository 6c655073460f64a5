import CBluetooth
import Foundation

/// OBEX over an RFCOMM socket: the `Transport` a push to a phone runs on.
///
/// Security level LOW on purpose: the Pi asks for nothing, so the phone starts
/// an unauthenticated Just Works pairing, which Android accepts without a
/// dialog when the Pi is NoInputNoOutput and not bonding (research §2.9, §5.3).
/// A dropped link (phone out of range, Bluetooth switched off) surfaces as
/// `TransportError.closed`; connect errors keep their errno
/// (`.system("connect", EHOSTDOWN)` = page timeout) for the caller to explain.
public final class RFCOMMTransport: Transport {
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }
    deinit { close() }

    /// Connects from the adapter with address `localAddress` ("00:11:…"; nil =
    /// any) to `address` on `channel`, giving up at `deadline`.
    public static func connect(to address: String, channel: UInt8, from localAddress: String? = nil,
                               deadline: Deadline) throws -> RFCOMMTransport {
        var remote = bdaddr_t(), local = bdaddr_t()
        guard str2ba(address, &remote) == 0, channel >= 1, channel <= 30 else {
            throw TransportError.system(operation: "connect", errno: EINVAL)
        }
        if let localAddress { guard str2ba(localAddress, &local) == 0 else { throw TransportError.system(operation: "bind", errno: EINVAL) } }
        let fd = socket(cbt_af_bluetooth, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), BTPROTO_RFCOMM)
        guard fd >= 0 else { throw TransportError.system(operation: "socket(AF_BLUETOOTH)", errno: errno) }
        let transport = RFCOMMTransport(fd: fd)
        var src = sockaddr_rc(rc_family: sa_family_t(cbt_af_bluetooth), rc_bdaddr: local, rc_channel: 0)
        let bound = withUnsafePointer(to: &src) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_rc>.size)) }
        }
        guard bound == 0 else { throw TransportError.system(operation: "bind", errno: errno) }
        guard cbt_set_security(fd, UInt8(BT_SECURITY_LOW)) == 0 else {
            throw TransportError.system(operation: "setsockopt(BT_SECURITY)", errno: errno)
        }
        var dst = sockaddr_rc(rc_family: sa_family_t(cbt_af_bluetooth), rc_bdaddr: remote, rc_channel: channel)
        let r = withUnsafePointer(to: &dst) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_rc>.size)) }
        }
        if r != 0 {
            guard errno == EINPROGRESS || errno == EAGAIN else { throw TransportError.system(operation: "connect", errno: errno) }
            guard try transport.poll(Int16(POLLOUT), deadline: deadline) else {
                throw TransportError.timedOut
            }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 { throw TransportError.system(operation: "connect", errno: err) }
        }
        return transport
    }

    public func read(maxBytes: Int, deadline: Deadline) throws -> [UInt8] {
        guard fd >= 0 else { throw TransportError.closed }
        var buffer = [UInt8](repeating: 0, count: max(1, maxBytes))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n >= 0 { return Array(buffer[0..<n]) }
            switch errno {
            case EAGAIN, EINTR:
                guard try poll(Int16(POLLIN), deadline: deadline) else { throw TransportError.timedOut }
            default:
                throw Self.linkError(errno, operation: "read")
            }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        guard fd >= 0 else { throw TransportError.closed }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 { offset += n; continue }
            switch errno {
            case EAGAIN, EINTR:
                guard try poll(Int16(POLLOUT), deadline: deadline) else { throw TransportError.timedOut }
            default:
                throw Self.linkError(errno, operation: "write")
            }
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    /// The raw descriptor, for callers that poll several transports.
    public var fileDescriptor: Int32 { fd }

    private func poll(_ events: Int16, deadline: Deadline) throws -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let r = Glibc.poll(&p, 1, deadline.remainingMilliseconds)
            if r > 0 { return true }
            if r == 0 { return false }
            if errno != EINTR { throw TransportError.system(operation: "poll", errno: errno) }
        }
    }

    /// Errors that mean the radio link went away are `.closed` (what the
    /// protocol layer calls "link lost"); anything else keeps its errno.
    static func linkError(_ e: Int32, operation: String) -> TransportError {
        switch e {
        case ECONNRESET, ECONNABORTED, ENOTCONN, EPIPE, ETIMEDOUT, EHOSTDOWN, EHOSTUNREACH, ENETDOWN:
            return .closed
        default:
            return .system(operation: operation, errno: e)
        }
    }
}

/// An RFCOMM server socket: the Pi's own Object Push server (`receive`).
/// Pair it with `ObjectPushServiceRecord` (BlueZ module) so phones find it.
public final class RFCOMMListener {
    private var fd: Int32
    /// The channel bound (chosen by the kernel when 0 was asked for).
    public let channel: UInt8

    /// Listens on `channel` (0 = first free) on the adapter `localAddress` (nil = all).
    public init(localAddress: String? = nil, channel: UInt8 = 0) throws {
        var local = bdaddr_t()
        if let localAddress { guard str2ba(localAddress, &local) == 0 else { throw TransportError.system(operation: "bind", errno: EINVAL) } }
        let fd = socket(cbt_af_bluetooth, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), BTPROTO_RFCOMM)
        guard fd >= 0 else { throw TransportError.system(operation: "socket(AF_BLUETOOTH)", errno: errno) }
        self.fd = fd
        var addr = sockaddr_rc(rc_family: sa_family_t(cbt_af_bluetooth), rc_bdaddr: local, rc_channel: channel)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_rc>.size)) }
        }
        guard bound == 0 else { let e = errno; Glibc.close(fd); throw TransportError.system(operation: "bind", errno: e) }
        _ = cbt_set_security(fd, UInt8(BT_SECURITY_LOW))
        guard listen(fd, 1) == 0 else { let e = errno; Glibc.close(fd); throw TransportError.system(operation: "listen", errno: e) }
        var got = sockaddr_rc()
        var len = socklen_t(MemoryLayout<sockaddr_rc>.size)
        _ = withUnsafeMutablePointer(to: &got) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.channel = got.rc_channel
    }

    deinit { close() }

    /// Waits for one connection until `deadline`; returns the transport and the
    /// peer's address (for an allowlist check: do not log it).
    public func accept(deadline: Deadline) throws -> (transport: RFCOMMTransport, peer: String) {
        guard fd >= 0 else { throw TransportError.closed }
        while true {
            var peer = sockaddr_rc()
            var len = socklen_t(MemoryLayout<sockaddr_rc>.size)
            let c = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &len) }
            }
            if c >= 0 {
                _ = fcntl(c, F_SETFD, FD_CLOEXEC)
                _ = fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK)
                var text = [CChar](repeating: 0, count: 18)
                var a = peer.rc_bdaddr
                ba2str(&a, &text)
                return (RFCOMMTransport(fd: c), String(cString: text))
            }
            guard errno == EAGAIN || errno == EINTR else { throw TransportError.system(operation: "accept", errno: errno) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = Glibc.poll(&p, 1, deadline.remainingMilliseconds)
            if r == 0 { throw TransportError.timedOut }
            if r < 0 && errno != EINTR { throw TransportError.system(operation: "poll", errno: errno) }
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
