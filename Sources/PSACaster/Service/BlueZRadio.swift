import Foundation
import OBEXPush

/// The radio on real adapters through BlueZ.
final class BlueZRadio: Radio {
    let kind = "BlueZ"
    private let log: ServiceLog
    init(log: ServiceLog) { self.log = log }

    func adapterNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/bluetooth")) ?? []
        return names.filter { ServiceConfig.isAdapterName($0) }.sorted { Int($0.dropFirst(3)) ?? 0 < Int($1.dropFirst(3)) ?? 0 }
    }

    func prepare(adapter: String, visibleName: String) throws {
        throw RadioError.adapterUnavailable(adapter: adapter, why: "Bluetooth support is not in this build yet", fix: "Use --simulate for now")
    }

    func discover(adapter: String, seconds: Double, cancel: Cancellation) throws -> [Sighting] {
        throw RadioError.adapterUnavailable(adapter: adapter, why: "Bluetooth support is not in this build yet", fix: "Use --simulate for now")
    }

    func openPushLink(adapter: String, to address: DeviceAddress, timeout: Double, cancel: Cancellation) throws -> Transport {
        throw RadioError.unreachable("Bluetooth support is not in this build yet")
    }
}
