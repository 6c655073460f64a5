import OBEXPush

/// A device found by a scan. `mayReceive` is the radio's early hint (class of
/// device or advertised services): false means it certainly cannot take a
/// file; nil means unknown until the Object Push lookup.
struct Sighting {
    let address: DeviceAddress
    let mayReceive: Bool?
}

enum RadioError: Error, Equatable, CustomStringConvertible {
    /// The adapter is gone, powered off or blocked; `fix` says what to do.
    case adapterUnavailable(adapter: String, why: String, fix: String)
    /// The device has no Object Push service (iPhones, headsets, watches).
    case cannotReceive
    /// The device did not answer (out of range, page timeout, refused).
    case unreachable(String)
    case cancelled

    var description: String {
        switch self {
        case .adapterUnavailable(let a, let why, let fix): return "\(a) is unavailable: \(why). \(fix)"
        case .cannotReceive: return "no Object Push service"
        case .unreachable(let why): return "unreachable (\(why))"
        case .cancelled: return "cancelled"
        }
    }
}

/// The service's radio side: finding phones and opening a byte stream to
/// their Object Push service. Two implementations: BlueZ (real adapters)
/// and the simulator (phones as OBEX servers on loopback TCP).
protocol Radio: AnyObject {
    /// Shown in status and logs: "BlueZ", "simulator".
    var kind: String { get }
    /// Adapters present right now, e.g. ["hci0", "hci1"].
    func adapterNames() -> [String]
    /// Readies an adapter for broadcasting (powered, neutral visible name,
    /// no pairing dialogs on phones). Throws `adapterUnavailable`.
    func prepare(adapter: String, visibleName: String) throws
    /// One inquiry window. Throws `adapterUnavailable` if the adapter went away.
    func discover(adapter: String, seconds: Double, cancel: Cancellation) throws -> [Sighting]
    /// Looks up the device's Object Push channel and connects to it.
    /// Throws `cannotReceive`, `unreachable`, `adapterUnavailable` or `cancelled`.
    func openPushLink(adapter: String, to address: DeviceAddress, timeout: Double, cancel: Cancellation) throws -> Transport
}
