import CBluetooth
import Foundation
import OBEXPush

/// An owned Bluetooth socket descriptor: closed in deinit, polled with deadlines.
final class BluetoothSocket {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }
    deinit { Glibc.close(fd) }

    /// Waits until readable (or `events`), false when the deadline passed first.
    func wait(for events: Int16 = Int16(POLLIN), deadline: Deadline) throws -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let r = poll(&p, 1, deadline.remainingMilliseconds)
            if r > 0 { return true }
            if r == 0 { return false }
            if errno != EINTR { throw BlueZError.system(operation: "poll", errno: errno) }
        }
    }

    /// One packet (raw HCI / mgmt sockets keep packet boundaries), or nil at the deadline.
    func receivePacket(deadline: Deadline, operation: String) throws -> [UInt8]? {
        guard try wait(deadline: deadline) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return [] }
            throw BlueZError.from(errno: errno, operation: operation)
        }
        return Array(buffer[0..<n])
    }

    /// Sends one packet. Only a negative return is an error: for a command it
    /// refuses (e.g. an unprivileged mgmt socket), the kernel returns 0 and
    /// queues a status event with the reason, which the caller reads.
    func send(_ bytes: [UInt8], operation: String, adapter: String? = nil) throws {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw BlueZError.from(errno: errno, operation: operation, adapter: adapter) }
    }
}
