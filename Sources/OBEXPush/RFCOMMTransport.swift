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
public enum RFCOMMTransport {
    /// Connects from the adapter with address `localAddress` ("00:11:…"; nil =
    /// any) to `address` on `channel`, giving up at `deadline`. The connected
    /// socket is a `SocketTransport`, so a push on it can be interrupted from
    /// another thread like any other.
    public static func connect(to address: String, channel: UInt8, from localAddress: String? = nil,
                               deadline: Deadline) throws -> SocketTransport {
        var remote = bdaddr_t(), local = bdaddr_t()
        guard str2ba(address, &remote) == 0, channel >= 1, channel <= 30 else {
            throw TransportError.system(operation: "connect", errno: EINVAL)
        }
        if let localAddress { guard str2ba(localAddress, &local) == 0 else { throw TransportError.system(operation: "bind", errno: EINVAL) } }
        let fd = socket(cbt_af_bluetooth, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), BTPROTO_RFCOMM)
        guard fd >= 0 else { throw TransportError.system(operation: "socket(AF_BLUETOOTH)", errno: errno) }
        let transport = SocketTransport(adopting: fd)   // closes fd on every failure below
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
            try transport.wait(for: Int16(POLLOUT), deadline: deadline)
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 { throw TransportError.system(operation: "connect", errno: err) }
        }
        return transport
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
    public func accept(deadline: Deadline) throws -> (transport: SocketTransport, peer: String) {
        guard fd >= 0 else { throw TransportError.closed }
        while true {
            var peer = sockaddr_rc()
            var len = socklen_t(MemoryLayout<sockaddr_rc>.size)
            let c = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &len) }
            }
            if c >= 0 {
                _ = fcntl(c, F_SETFD, FD_CLOEXEC)
                var text = [CChar](repeating: 0, count: 18)
                var a = peer.rc_bdaddr
                ba2str(&a, &text)
                return (SocketTransport(adopting: c), String(cString: text))
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
