import Foundation

/// The adapter state the Pi needs so that Android pairs silently (research
/// §2.9, §5.3): IO capability NoInputNoOutput (Just Works), not bondable
/// (no stored keys, no "Pair?" dialog), and a neutral visible name (it shows
/// on the phone's lock screen).
public enum AdapterSettings {
    public struct Report: Equatable, Sendable {
        /// Settings changed now, in words ("name set", "bondable turned off").
        public var changed: [String] = []
        /// What could not be set, each a full BlueZError with its fix.
        public var problems: [BlueZError] = []
        public var isClean: Bool { problems.isEmpty }
    }

    /// Checks and sets, through the kernel management interface (works with
    /// or without bluetoothd). Needs CAP_NET_ADMIN to change anything.
    /// `connectable` (page scan) is for serving: phones cannot connect to an
    /// adapter that is not; `discoverable` also lets them find it by inquiry.
    /// Pushing needs neither.
    public static func apply(to adapter: Adapter, name: String?, connectable: Bool = false,
                             discoverable: Bool = false) -> Report {
        var report = Report()
        let mgmt: ManagementSocket
        do { mgmt = try ManagementSocket() } catch let e as BlueZError {
            report.problems.append(e); return report
        } catch { return report }
        let what = "configure \(adapter.name)"
        var info: ControllerInfo?
        do {
            info = ControllerInfo(try mgmt.command(.readControllerInfo, index: adapter.index, what: what))
        } catch let e as BlueZError { report.problems.append(e) } catch {}

        // Set IO Capability has no read counterpart: set it every time.
        // bluetoothd sets it too whenever an agent registers (a plain
        // bluetoothctl registers KeyboardDisplay, which brings back the dialog).
        do {
            _ = try mgmt.command(.setIOCapability, index: adapter.index, [0x03], what: "set \(adapter.name) to NoInputNoOutput")
        } catch let e as BlueZError { report.problems.append(e) } catch {}

        if info?.currentSettings.contains(.bondable) ?? true {
            do {
                _ = try mgmt.command(.setBondable, index: adapter.index, [0x00], what: "make \(adapter.name) non-bondable")
                report.changed.append("bondable turned off")
            } catch let e as BlueZError { report.problems.append(e) } catch {}
        }

        if connectable || discoverable, !(info?.currentSettings.contains(.connectable) ?? false) {
            do {
                _ = try mgmt.command(.setConnectable, index: adapter.index, [0x01], what: "make \(adapter.name) connectable")
                report.changed.append("connectable turned on")
            } catch let e as BlueZError { report.problems.append(e) } catch {}
        }
        if discoverable, !(info?.currentSettings.contains(.discoverable) ?? false) {
            do {
                // general discoverable, no timeout
                _ = try mgmt.command(.setDiscoverable, index: adapter.index, [0x01, 0x00, 0x00], what: "make \(adapter.name) discoverable")
                report.changed.append("discoverable turned on")
            } catch let e as BlueZError { report.problems.append(e) } catch {}
        }

        if let name, info?.name != name {
            var params = [UInt8](repeating: 0, count: 249 + 11)
            let bytes = Array(name.utf8.prefix(248))
            params.replaceSubrange(0..<bytes.count, with: bytes)
            let short = Array(name.utf8.prefix(10))
            params.replaceSubrange(249..<(249 + short.count), with: short)
            do {
                _ = try mgmt.command(.setLocalName, index: adapter.index, params, what: "set \(adapter.name)'s visible name")
                report.changed.append("visible name set")
            } catch let e as BlueZError { report.problems.append(e) } catch {}
        }
        return report
    }
}
