import CBluetooth
import Foundation
import OBEXPush

/// BR/EDR discovery over a raw HCI socket: short general-inquiry windows,
/// results with RSSI, class and (from the Extended Inquiry Response) name and
/// service UUIDs; remote name requests for devices whose EIR had no name.
///
/// Short repeated windows because Android is discoverable only while its
/// Bluetooth settings are open (research §2.16): a phone should be seen
/// within seconds of appearing, not after a 10 s kernel discovery.
/// Raw HCI commands need CAP_NET_RAW (root or setcap). If another program is
/// discovering, the controller refuses the inquiry and this reports
/// `.adapterBusy` instead of fighting for the radio.
public final class InquiryScanner {
    public let adapter: Adapter
    private let socket: BluetoothSocket

    public init(adapter: Adapter) throws {
        try adapter.requireUsable()
        self.adapter = adapter
        let fd = cbt_hci_open_raw(adapter.index)
        guard fd >= 0 else { throw BlueZError.from(errno: errno, operation: "open \(adapter.name) for discovery", adapter: adapter.name) }
        socket = BluetoothSocket(fd: fd)
        let codes = HCIEvent.codes
        guard cbt_hci_set_event_filter(fd, codes, Int32(codes.count)) == 0 else {
            throw BlueZError.from(errno: errno, operation: "filter HCI events on \(adapter.name)", adapter: adapter.name)
        }
    }

    /// One inquiry window of `length` × 1.28 s (1…48). `onDevice` sees every
    /// sighting as it arrives (the same device may come more than once).
    public func inquire(length: UInt8 = 2, onDevice: ((DiscoveredDevice) -> Void)? = nil) throws -> [DiscoveredDevice] {
        let length = min(max(length, 1), 48)
        let operation = "inquiry on \(adapter.name)"
        try socket.send(HCICommand.inquiry(length: length), operation: operation, adapter: adapter.name)
        // the controller ends the inquiry itself; the margin covers a slow
        // controller, and a cancel at the deadline leaves the radio clean
        let deadline = Deadline.after(seconds: Double(length) * 1.28 + 3)
        var found: [BluetoothAddress: DiscoveredDevice] = [:]
        var order: [BluetoothAddress] = []
        var started = false
        while true {
            guard let packet = try socket.receivePacket(deadline: deadline, operation: operation) else {
                try? socket.send(HCICommand.inquiryCancel(), operation: operation)
                if !started { throw BlueZError.timedOut(operation: operation) }
                break
            }
            guard let event = HCIEvent(packet: packet) else { continue }
            switch event {
            case .commandStatus(let status, let opcode) where opcode == HCICommand.inquiryOpcode:
                if status == 0x0C { throw BlueZError.adapterBusy(adapter.name) }     // Command Disallowed
                if status != 0 { throw BlueZError.hciCommandFailed(operation: operation, status: status) }
                started = true
            case .inquiryResults(let devices):
                for d in devices {
                    onDevice?(d)
                    if found[d.address] == nil { order.append(d.address); found[d.address] = d } else { found[d.address]!.merge(d) }
                }
            case .inquiryComplete(let status):
                if status != 0, !started { throw BlueZError.hciCommandFailed(operation: operation, status: status) }
                return order.compactMap { found[$0] }
            default:
                continue
            }
        }
        return order.compactMap { found[$0] }
    }

    /// Asks one device for its name (pages it; up to `timeout` seconds).
    /// nil when it does not answer.
    public func remoteName(of address: BluetoothAddress, timeout: Double = 5) throws -> String? {
        let operation = "name request on \(adapter.name)"
        try socket.send(HCICommand.remoteNameRequest(address), operation: operation, adapter: adapter.name)
        let deadline = Deadline.after(seconds: timeout)
        while let packet = try socket.receivePacket(deadline: deadline, operation: operation) {
            guard let event = HCIEvent(packet: packet) else { continue }
            switch event {
            case .commandStatus(let status, let opcode) where opcode == HCICommand.remoteNameRequestOpcode:
                if status != 0 { return nil }
            case .remoteNameComplete(_, let a, let name) where a == address:
                return name
            default:
                continue
            }
        }
        return nil
    }

    /// Repeats short windows for `duration` seconds, merging what each finds.
    /// `onNewDevice` is called once per device as soon as it is first seen,
    /// so a caller can start working on it while the scan goes on.
    public func scan(duration: Double, windowLength: UInt8 = 2, resolveNames: Bool = false,
                     onNewDevice: ((DiscoveredDevice) -> Void)? = nil) throws -> [DiscoveredDevice] {
        let end = Deadline.after(seconds: duration)
        var all: [BluetoothAddress: DiscoveredDevice] = [:]
        var order: [BluetoothAddress] = []
        repeat {
            let left = Double(end.remainingMilliseconds) / 1000
            let length = UInt8(min(Double(windowLength), max(1, (left / 1.28).rounded(.up))))
            for d in try inquire(length: length) {
                if all[d.address] == nil {
                    order.append(d.address)
                    all[d.address] = d
                    onNewDevice?(d)
                } else {
                    all[d.address]!.merge(d)
                }
            }
        } while !end.hasPassed
        if resolveNames {
            for a in order where all[a]?.name == nil {
                if let n = try remoteName(of: a) { all[a]?.name = n }
            }
        }
        return order.compactMap { all[$0] }
    }
}
