import BlueZ
import Foundation
import OBEXPush

/// The radio on real adapters: raw-HCI inquiry windows, SDP lookup of the
/// Object Push channel per phone (Android picks it at run time), and an
/// RFCOMM link at security LOW from the adapter that found the phone.
/// Errors go up as `RadioError`s, which never carry an address.
final class BlueZRadio: Radio {
    let kind = "BlueZ"
    private let log: ServiceLog
    private let lock = NSLock()
    private var adapters: [String: Adapter] = [:]
    private var scanners: [String: InquiryScanner] = [:]

    init(log: ServiceLog) { self.log = log }

    func adapterNames() -> [String] {
        ((try? Adapter.list()) ?? []).map(\.name)
    }

    private func unavailable(_ adapter: String, _ error: Error) -> RadioError {
        if let e = error as? BlueZError { return .adapterUnavailable(adapter: adapter, why: e.why, fix: e.fix) }
        return .adapterUnavailable(adapter: adapter, why: "\(error)", fix: "Check it with 'psacaster adapters'")
    }

    func prepare(adapter name: String, visibleName: String) throws {
        let adapter: Adapter
        do {
            guard let a = try Adapter.list().first(where: { $0.name == name }) else {
                throw RadioError.adapterUnavailable(adapter: name, why: "it is not present",
                                                    fix: "Plug it back in; broadcasting resumes by itself")
            }
            try a.requireUsable()
            adapter = a
        } catch let e as RadioError { throw e } catch { throw unavailable(name, error) }
        // Name, NoInputNoOutput, not bondable: so phones pair silently and
        // the lock screen shows only the neutral name. A setting we cannot
        // make is a warning with its fix, not a reason to stop.
        let report = AdapterSettings.apply(to: adapter, name: visibleName)
        for p in report.problems { log.warnOnce("settings-\(name)-\(p.what)", "\(name): \(p.what): \(p.why). \(p.fix)") }
        if !report.changed.isEmpty { log.info("\(name): \(report.changed.joined(separator: ", "))") }
        let scanner: InquiryScanner
        do { scanner = try InquiryScanner(adapter: adapter) } catch { throw unavailable(name, error) }
        lock.lock()
        adapters[name] = adapter
        scanners[name] = scanner
        lock.unlock()
    }

    func discover(adapter name: String, seconds: Double, cancel: Cancellation) throws -> [Sighting] {
        lock.lock(); let scanner = scanners[name]; lock.unlock()
        guard let scanner else { throw RadioError.adapterUnavailable(adapter: name, why: "not prepared", fix: "") }
        let length = UInt8(min(48, max(1, (seconds / 1.28).rounded())))
        let found: [DiscoveredDevice]
        do { found = try scanner.inquire(length: length) } catch {
            if cancel.isCancelled { throw RadioError.cancelled }
            lock.lock(); scanners[name] = nil; lock.unlock()
            throw unavailable(name, error)
        }
        return found.map { d in
            Sighting(address: DeviceAddress(bytes: d.address.bytes), mayReceive: Self.mayReceive(d))
        }
    }

    /// The early hint from the inquiry: true when the device advertises
    /// Object Transfer, false for kinds of device that never take files
    /// (headsets, keyboards, watches, toys), nil for the rest (SDP decides:
    /// some phones do not set the bit).
    static func mayReceive(_ d: DiscoveredDevice) -> Bool? {
        if d.canReceive { return true }
        guard let c = d.classOfDevice else { return nil }
        switch c.majorDeviceClass {
        case 4, 5, 7, 8, 9: return false      // audio/video, peripheral, wearable, toy, health
        default: return nil
        }
    }

    func openPushLink(adapter name: String, to address: DeviceAddress, timeout: Double, cancel: Cancellation) throws -> Transport {
        lock.lock(); let adapter = adapters[name]; lock.unlock()
        guard let adapter, let remote = BluetoothAddress(bytes: address.bytes) else {
            throw RadioError.adapterUnavailable(adapter: name, why: "not prepared", fix: "")
        }
        let deadline = Deadline.after(seconds: timeout)
        let channel: UInt8
        do {
            channel = try ObjectPushChannelLookup.channel(for: remote, adapter: adapter, deadline: deadline)
        } catch BlueZError.cannotReceive {
            throw RadioError.cannotReceive
        } catch let e as BlueZError {
            throw RadioError.unreachable("service lookup: \(e.why)")
        } catch {
            throw RadioError.unreachable("service lookup failed")
        }
        if cancel.isCancelled { throw RadioError.cancelled }
        do {
            return try RFCOMMTransport.connect(to: address.textForRadio, channel: channel,
                                               from: adapter.address.description, deadline: deadline)
        } catch TransportError.timedOut {
            throw RadioError.unreachable("connect: no answer before the deadline")
        } catch {
            throw RadioError.unreachable("connect: \(error)")
        }
    }
}
