import CBluetooth
import Foundation
import OBEXPush

/// The kernel's Bluetooth management interface (HCI_CHANNEL_CONTROL): what
/// bluetoothd itself uses, so settings made here work with or without
/// bluetoothd running and are seen by it. Reading needs no privilege;
/// changing settings needs CAP_NET_ADMIN.
final class ManagementSocket {
    private let socket: BluetoothSocket

    init() throws {
        let fd = cbt_mgmt_open()
        guard fd >= 0 else { throw BlueZError.from(errno: errno, operation: "open the Bluetooth management socket") }
        socket = BluetoothSocket(fd: fd)
    }

    enum Opcode: UInt16 {
        case readControllerInfo = 0x0004
        case setDiscoverable = 0x0006
        case setConnectable = 0x0007
        case setBondable = 0x0009
        case setLocalName = 0x000F
        case setIOCapability = 0x0018
    }

    /// Sends a command and returns its reply parameters; throws on a non-zero status.
    func command(_ opcode: Opcode, index: UInt16, _ parameters: [UInt8] = [],
                 what: String, deadline: Deadline = .after(seconds: 3)) throws -> [UInt8] {
        let op = opcode.rawValue
        let header: [UInt8] = [UInt8(op & 0xFF), UInt8(op >> 8), UInt8(index & 0xFF), UInt8(index >> 8),
                               UInt8(parameters.count & 0xFF), UInt8(parameters.count >> 8)]
        try socket.send(header + parameters, operation: what)
        while true {
            guard let packet = try socket.receivePacket(deadline: deadline, operation: what) else {
                throw BlueZError.timedOut(operation: what)
            }
            guard packet.count >= 9 else { continue }
            let event = UInt16(packet[0]) | UInt16(packet[1]) << 8
            let evIndex = UInt16(packet[2]) | UInt16(packet[3]) << 8
            let evOpcode = UInt16(packet[6]) | UInt16(packet[7]) << 8
            // 0x0001 Command Complete, 0x0002 Command Status; other events are
            // broadcasts (settings changed, devices found) and not ours
            guard event == 0x0001 || event == 0x0002, evOpcode == op, evIndex == index else { continue }
            let status = packet[8]
            if status != 0 { throw Self.error(status: status, what: what, adapter: "hci\(index)") }
            return Array(packet[9...])
        }
    }

    static func error(status: UInt8, what: String, adapter: String) -> BlueZError {
        switch status {
        case 0x14: return .permissionDenied(operation: what)
        case 0x11: return .unknownAdapter(adapter, available: [])
        case 0x0F: return .adapterDown(adapter)
        case 0x12: return .rfkillBlocked(adapter)
        case 0x0A: return .adapterBusy(adapter)
        default: return .hciCommandFailed(operation: what, status: status)
        }
    }
}

/// What Read Controller Info reports about one adapter.
public struct ControllerInfo: Equatable, Sendable {
    public let address: BluetoothAddress
    public let currentSettings: ControllerSettings
    public let classOfDevice: ClassOfDevice
    public let name: String

    init?(_ p: [UInt8]) {
        guard p.count >= 280 else { return nil }
        address = BluetoothAddress(littleEndian: p[0..<6])
        currentSettings = ControllerSettings(rawValue: UInt32(p[13]) | UInt32(p[14]) << 8 | UInt32(p[15]) << 16 | UInt32(p[16]) << 24)
        classOfDevice = ClassOfDevice(littleEndian: p[17..<20])
        name = ExtendedInquiryResponse.text(p[20..<269]) ?? ""
    }
}

/// The mgmt "current settings" bits that matter here.
public struct ControllerSettings: OptionSet, Equatable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let powered = ControllerSettings(rawValue: 1 << 0)
    public static let connectable = ControllerSettings(rawValue: 1 << 1)
    public static let discoverable = ControllerSettings(rawValue: 1 << 3)
    public static let bondable = ControllerSettings(rawValue: 1 << 4)
    public static let secureSimplePairing = ControllerSettings(rawValue: 1 << 6)
    public static let bredr = ControllerSettings(rawValue: 1 << 7)
}
