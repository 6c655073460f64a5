import Foundation
import OBEXPush
@testable import PSACaster

/// A radio whose phones are scripted in memory, for testing the scheduler's
/// rules fast (no sockets). The simulator tests run the real OBEX stack.
final class ScriptedRadio: Radio {
    enum Behaviour { case accept, decline, fail, deliverThenFail(Int), hang }
    final class Phone {
        let address: DeviceAddress
        var mayReceive: Bool?
        var hasObjectPush = true
        var present = true
        var seconds: Double
        var behaviour: Behaviour
        var connects = 0
        var received: [String] = []
        init(_ n: Int, behaviour: Behaviour = .accept, seconds: Double = 0.05) {
            address = DeviceAddress(bytes: [0x02, 0x50, 0x53, 0x00, UInt8(n >> 8), UInt8(n & 0xff)])
            self.behaviour = behaviour; self.seconds = seconds
        }
    }
    final class Link: Transport {
        let phone: Phone
        init(_ p: Phone) { phone = p }
        func read(maxBytes: Int, deadline: Deadline) throws -> [UInt8] { [] }
        func write(_ bytes: [UInt8], deadline: Deadline) throws {}
        func close() {}
    }

    let lock = NSLock()
    var phones: [Phone] = []
    var adapters = ["hci0"]
    var down: Set<String> = []
    var scanSleep = 0.02
    var scans = 0
    let kind = "scripted"

    func adapterNames() -> [String] { lock.lock(); defer { lock.unlock() }; return adapters }
    func prepare(adapter: String, visibleName: String) throws {
        lock.lock(); defer { lock.unlock() }
        if down.contains(adapter) { throw RadioError.adapterUnavailable(adapter: adapter, why: "removed", fix: "plug it in") }
    }
    func discover(adapter: String, seconds: Double, cancel: Cancellation) throws -> [Sighting] {
        if !cancel.sleep(scanSleep) { throw RadioError.cancelled }
        lock.lock(); defer { lock.unlock() }
        if down.contains(adapter) { throw RadioError.adapterUnavailable(adapter: adapter, why: "removed", fix: "plug it in") }
        scans += 1
        return phones.filter(\.present).map { Sighting(address: $0.address, mayReceive: $0.mayReceive) }
    }
    func openPushLink(adapter: String, to address: DeviceAddress, timeout: Double, cancel: Cancellation) throws -> Transport {
        lock.lock(); defer { lock.unlock() }
        guard let p = phones.first(where: { $0.address == address }) else { throw RadioError.unreachable("gone") }
        p.connects += 1
        if !p.hasObjectPush { throw RadioError.cannotReceive }
        return Link(p)
    }
    func connects(_ i: Int) -> Int { lock.lock(); defer { lock.unlock() }; return phones[i].connects }
    func received(_ i: Int) -> [String] { lock.lock(); defer { lock.unlock() }; return phones[i].received }
}

final class ScriptedPusher: Pusher {
    let lock = NSLock()
    var running = 0
    var peak = 0
    var cancelsSeen = 0
    weak var radio: ScriptedRadio?

    func offer(_ items: [OfferItem], over link: Transport, timeouts: PushTimeouts, cancel: Cancellation) -> [ItemResult] {
        let phone = (link as! ScriptedRadio.Link).phone
        lock.lock(); running += 1; peak = max(peak, running); lock.unlock()
        defer { lock.lock(); running -= 1; lock.unlock() }
        radio?.lock.lock()
        let behaviour = phone.behaviour, seconds = phone.seconds
        radio?.lock.unlock()
        var results: [ItemResult] = []
        for (i, item) in items.enumerated() {
            let wait: Double
            if case .hang = behaviour { wait = 3600 } else { wait = seconds }
            if !cancel.sleep(wait) {
                lock.lock(); cancelsSeen += 1; lock.unlock()
                results.append(.failed(reason: "cancelled"))
                break
            }
            switch behaviour {
            case .accept:
                radio?.lock.lock(); phone.received.append(item.id); radio?.lock.unlock()
                results.append(.delivered)
            case .decline:
                results.append(.declined)
            case .fail, .hang:
                results.append(.failed(reason: "link lost"))
            case .deliverThenFail(let n):
                if i < n {
                    radio?.lock.lock(); phone.received.append(item.id); radio?.lock.unlock()
                    results.append(.delivered)
                } else { results.append(.failed(reason: "link lost")) }
            }
            if results.last != .delivered { break }
        }
        while results.count < items.count { results.append(.notSent) }
        return results
    }
}

enum ServiceFixtures {
    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "psacaster-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static func content(_ ids: [String]) -> CampaignContent {
        CampaignContent(campaignName: "test", items: ids.map {
            OfferItem(id: $0, name: "\($0).opus", mimeType: "audio/ogg", data: Array("data of \($0)".utf8))
        }, problems: [])
    }

    static func config(state: String) -> ServiceConfig {
        var c = ServiceConfig()
        c.stateDirectory = state
        c.scanSeconds = 0.05
        c.scanPauseSeconds = 0.01
        c.statsFlushSeconds = 0.2
        c.rules.retryBackoffSeconds = 0.1
        return c
    }

    /// Polls `condition` until true or `timeout`; tests wait for effects, not fixed times.
    static func waitUntil(_ timeout: Double = 5, _ condition: () -> Bool) -> Bool {
        let end = Date(timeIntervalSinceNow: timeout)
        while Date() < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}

/// Collects log lines for assertions (and the privacy audit).
final class LogCapture {
    private let lock = NSLock()
    private var lines: [String] = []
    func sink(_ l: String) { lock.lock(); lines.append(l); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func log(_ level: ServiceLog.Level = .debug) -> ServiceLog { ServiceLog(minimum: level, sink: { [self] in sink($0) }) }
}

/// Real monotonic time, a wall clock frozen mid-hour: "seen once per hour"
/// must not make a test flaky when it runs across an hour boundary.
final class FrozenWallClock: ServiceClock {
    private let system = SystemClock()
    func monotonic() -> Double { system.monotonic() }
    func wallNow() -> Date { Date(timeIntervalSince1970: 1_780_001_800) }
}
