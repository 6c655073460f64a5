import Foundation

/// Everything the BlueZ module can fail with, phrased for the person at the
/// terminal: `what` failed, `why`, and what to do (`fix`). The CLI prints
/// "psacaster: <what>: <why>. <fix>". No case carries a device address or
/// name, so logging an error never identifies a phone.
public enum BlueZError: Error, Equatable, CustomStringConvertible {
    /// socket(AF_BLUETOOTH) fails: the kernel has no Bluetooth support loaded.
    case noBluetoothInKernel
    /// The kernel has Bluetooth but no controller is attached.
    case noAdapter
    /// `--adapter hciN` names a controller that does not exist.
    case unknownAdapter(String, available: [String])
    case adapterDown(String)
    case rfkillBlocked(String)
    case permissionDenied(operation: String)
    /// Another program (bluetoothd's discovery, a desktop applet) holds the radio.
    case adapterBusy(String)
    /// Page timeout / host down: the device did not answer the connection.
    case outOfRange
    case connectionRefused
    /// The link's pairing or encryption failed (EACCES on connect).
    case pairingFailed
    case timedOut(operation: String)
    case linkLost
    /// The device answered SDP but has no OBEX Object Push record.
    case cannotReceive
    /// The legacy SDP server socket is missing (bluetoothd without --compat).
    case sdpServerUnavailable
    case hciCommandFailed(operation: String, status: UInt8)
    case system(operation: String, errno: Int32)

    public var what: String {
        switch self {
        case .noBluetoothInKernel, .noAdapter, .unknownAdapter: return "bluetooth"
        case .adapterDown(let a), .rfkillBlocked(let a), .adapterBusy(let a): return a
        case .permissionDenied(let op), .timedOut(let op), .hciCommandFailed(let op, _), .system(let op, _): return op
        case .outOfRange, .connectionRefused, .linkLost, .pairingFailed: return "connect"
        case .cannotReceive: return "object push lookup"
        case .sdpServerUnavailable: return "SDP record"
        }
    }

    public var why: String {
        switch self {
        case .noBluetoothInKernel: return "this kernel has no Bluetooth support (socket(AF_BLUETOOTH) is not supported)"
        case .noAdapter: return "no Bluetooth adapter found"
        case .unknownAdapter(let a, let available):
            return "there is no adapter \(a)" + (available.isEmpty ? "" : " (found: \(available.joined(separator: ", ")))")
        case .adapterDown: return "the adapter is powered off"
        case .rfkillBlocked: return "the adapter is blocked by rfkill (radio switched off)"
        case .permissionDenied: return "permission denied"
        case .adapterBusy: return "the adapter is busy with another discovery"
        case .outOfRange: return "the device did not answer (out of range, switched off, or page timeout)"
        case .connectionRefused: return "the device refused the connection"
        case .pairingFailed: return "pairing with the device failed (authentication or encryption refused)"
        case .timedOut: return "no answer before the deadline"
        case .linkLost: return "the link was lost"
        case .cannotReceive: return "the device cannot receive files (it has no OBEX Object Push service)"
        case .sdpServerUnavailable: return "bluetoothd's legacy SDP socket is not available"
        case .hciCommandFailed(_, let s): return "the controller refused the command (HCI status 0x\(String(s, radix: 16)))"
        case .system(_, let e): return String(cString: strerror(e))
        }
    }

    public var fix: String {
        switch self {
        case .noBluetoothInKernel:
            return "Use a kernel with Bluetooth (Raspberry Pi OS has it; try 'modprobe bluetooth'), or run the tests in the VM: vm/run.sh"
        case .noAdapter: return "Plug in a USB Bluetooth adapter or enable the built-in one, then check 'psacaster adapters'"
        case .unknownAdapter: return "Pick one from 'psacaster adapters'"
        case .adapterDown(let a): return "Power it on: 'bluetoothctl power on' (or 'btmgmt --index \(a.dropFirst(3)) power on')"
        case .rfkillBlocked: return "Unblock it: 'rfkill unblock bluetooth'"
        case .permissionDenied:
            return "Run as root, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin+eip $(command -v psacaster)"
        case .adapterBusy: return "Stop the other discovery (e.g. 'bluetoothctl scan off') and try again"
        case .outOfRange: return "Move closer and make sure the phone's Bluetooth is on"
        case .connectionRefused: return "The phone may have no Object Push service on that channel; omit @CHANNEL to look it up"
        case .pairingFailed:
            return "The phone may have shown a pairing prompt that was refused; make the adapter silent with 'psacaster adapters --setup' and try again"
        case .timedOut: return "Move closer or try again"
        case .linkLost: return "The phone went away or switched Bluetooth off; it can be tried again later"
        case .cannotReceive: return "Nothing to do: this device (an iPhone, a headset, …) does not accept Bluetooth file transfers"
        case .sdpServerUnavailable:
            return "Start bluetoothd with --compat (e.g. a systemd drop-in: ExecStart=/usr/libexec/bluetooth/bluetoothd --compat)"
        case .hciCommandFailed: return "Reset the adapter ('btmgmt power off' then 'power on') and try again"
        case .system: return "Check 'psacaster adapters' and try again"
        }
    }

    public var description: String { "\(what): \(why). \(fix)" }

    /// Maps an errno from a Bluetooth socket call to the case a user understands.
    public static func from(errno e: Int32, operation: String, adapter: String? = nil) -> BlueZError {
        switch e {
        case EAFNOSUPPORT, EPROTONOSUPPORT: return .noBluetoothInKernel
        // on connect, EACCES is the kernel reporting an authentication failure
        case EACCES where operation == "connect" || operation == "SDP lookup": return .pairingFailed
        case EPERM, EACCES: return .permissionDenied(operation: operation)
        case ENODEV: return adapter.map { .unknownAdapter($0, available: []) } ?? .noAdapter
        case ENETDOWN: return .adapterDown(adapter ?? "adapter")
        case ERFKILL: return .rfkillBlocked(adapter ?? "adapter")
        case EHOSTDOWN, EHOSTUNREACH: return .outOfRange
        case ECONNREFUSED: return .connectionRefused
        case ETIMEDOUT: return .timedOut(operation: operation)
        case ECONNRESET, ECONNABORTED, ENOTCONN, EPIPE: return .linkLost
        case EBUSY: return .adapterBusy(adapter ?? "adapter")
        default: return .system(operation: operation, errno: e)
        }
    }
}
