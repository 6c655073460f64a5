import CBluetooth
import Foundation

/// A local Bluetooth controller (hciN), as the kernel reports it.
public struct Adapter: Equatable, Sendable {
    public let index: UInt16
    public let address: BluetoothAddress
    /// The name other devices see; nil when the management interface could not tell.
    public let localName: String?
    public let isUp: Bool
    public let rfkillBlocked: Bool
    public let settings: ControllerSettings?
    public let classOfDevice: ClassOfDevice?

    public var name: String { "hci\(index)" }
    public var isPowered: Bool { settings?.contains(.powered) ?? isUp }

    /// Every controller the kernel knows, in index order. Throws
    /// `.noBluetoothInKernel` when the kernel has no Bluetooth at all.
    public static func list() throws -> [Adapter] {
        var ids = [UInt16](repeating: 0, count: 16)
        let n = cbt_hci_device_ids(&ids, Int32(ids.count))
        guard n >= 0 else { throw BlueZError.from(errno: errno, operation: "list Bluetooth adapters") }
        let management = try? ManagementSocket()
        return try ids.prefix(Int(n)).sorted().map { id in
            var info = hci_dev_info()
            guard cbt_hci_device_info(id, &info) == 0 else {
                throw BlueZError.from(errno: errno, operation: "read adapter hci\(id)")
            }
            let controller = (try? management?.command(.readControllerInfo, index: id, what: "read adapter hci\(id)"))
                .flatMap { $0.flatMap(ControllerInfo.init) }
            // hci_dev_info.flags bit 0 is HCI_UP
            return Adapter(index: id, address: BluetoothAddress(info.bdaddr), localName: controller?.name,
                           isUp: info.flags & 1 != 0, rfkillBlocked: Self.rfkillBlocked(id),
                           settings: controller?.currentSettings, classOfDevice: controller?.classOfDevice)
        }
    }

    /// The adapter named `name` ("hci1"), or the first powered one.
    /// Throws the error that tells the user what to do when there is none.
    public static func select(_ name: String?) throws -> Adapter {
        let all = try list()
        guard !all.isEmpty else { throw BlueZError.noAdapter }
        let chosen: Adapter
        if let name {
            guard let a = all.first(where: { $0.name == name }) else {
                throw BlueZError.unknownAdapter(name, available: all.map(\.name))
            }
            chosen = a
        } else {
            chosen = all.first(where: { $0.isUp && !$0.rfkillBlocked }) ?? all[0]
        }
        try chosen.requireUsable()
        return chosen
    }

    public func requireUsable() throws {
        if rfkillBlocked { throw BlueZError.rfkillBlocked(name) }
        if !isUp { throw BlueZError.adapterDown(name) }
    }

    /// rfkill state from sysfs (/sys/class/bluetooth/hciN/rfkillM/{soft,hard}).
    static func rfkillBlocked(_ id: UInt16) -> Bool {
        let dir = "/sys/class/bluetooth/hci\(id)"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return false }
        for e in entries where e.hasPrefix("rfkill") {
            for f in ["soft", "hard"] {
                if let s = try? String(contentsOfFile: "\(dir)/\(e)/\(f)", encoding: .utf8),
                   s.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return true }
            }
        }
        return false
    }
}
