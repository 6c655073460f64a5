import XCTest
@testable import PSACaster

/// The scheduler's rules with scripted phones: dedupe across rounds, limits
/// on concurrent sessions, retries, declines, adapters coming and going.
final class ServiceSchedulerTests: XCTestCase {
    var state = ""
    let logs = LogCapture()

    override func setUp() { state = ServiceFixtures.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    func makeService(_ radio: ScriptedRadio, _ pusher: ScriptedPusher, ids: [String] = ["a", "b"],
                     tweak: (inout ServiceConfig) -> Void = { _ in },
                     content: (() -> CampaignContent)? = nil) throws -> BroadcastService {
        pusher.radio = radio
        var c = ServiceFixtures.config(state: state)
        tweak(&c)
        let fixed = ServiceFixtures.content(ids)
        return try BroadcastService(config: c, radio: radio, pusher: pusher, clock: FrozenWallClock(), log: logs.log(),
                                    loadContent: { _ in content?() ?? fixed })
    }

    func testEachPhoneGetsEachAnnouncementOnceOverManyRounds() throws {
        let radio = ScriptedRadio()
        radio.phones = (0..<10).map { ScriptedRadio.Phone($0) }
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher)
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.stats.snapshot.totals.delivered == 10 })
        let scansThen = radio.scans
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.scans >= scansThen + 5 }, "scanning goes on")
        service.stop()
        for i in 0..<10 {
            XCTAssertEqual(radio.received(i), ["a", "b"], "phone \(i)")
            XCTAssertEqual(radio.connects(i), 1)
        }
        let s = service.stats.snapshot
        XCTAssertEqual(s.totals.seen, 10, "seen counts each phone once per hour, not per scan")
        XCTAssertEqual(s.totals.delivered, 10)
        XCTAssertEqual(s.perAnnouncement["a"]?.delivered, 10)
        XCTAssertEqual(s.perAnnouncement["b"]?.offered, 10)
        // Saved on stop, and readable.
        XCTAssertEqual(try StatsStore.load(path: service.currentConfig.statsPath), s)
    }

    func testConcurrentSessionsReachButNeverExceedTheLimit() throws {
        for limit in [1, 4, 7] {
            state = ServiceFixtures.tempDir()
            let radio = ScriptedRadio()
            radio.phones = (0..<20).map { ScriptedRadio.Phone($0, seconds: 0.15) }
            let pusher = ScriptedPusher()
            let service = try makeService(radio, pusher, ids: ["a"]) { $0.transfersPerAdapter = limit }
            service.start()
            XCTAssertTrue(ServiceFixtures.waitUntil(10) { service.stats.snapshot.totals.delivered == 20 }, "limit \(limit)")
            service.stop()
            XCTAssertEqual(pusher.peak, limit, "limit \(limit): sessions at once")
            XCTAssertEqual(service.peakConcurrentTransfers, limit)
        }
    }

    func testSeveralAdaptersAreAllUsed() throws {
        let radio = ScriptedRadio()
        radio.adapters = ["hci0", "hci1"]
        radio.phones = (0..<16).map { ScriptedRadio.Phone($0, seconds: 0.2) }
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher, ids: ["a"]) { $0.transfersPerAdapter = 3 }
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil(10) { service.stats.snapshot.totals.delivered == 16 })
        service.stop()
        XCTAssertEqual(pusher.peak, 6, "3 per adapter on 2 adapters")
        for i in 0..<16 { XCTAssertEqual(radio.connects(i), 1, "both adapters see every phone, yet one session each") }
    }

    func testDeclinerIsOfferedOnceAndNeverAgain() throws {
        let radio = ScriptedRadio()
        radio.phones = [ScriptedRadio.Phone(0, behaviour: .decline), ScriptedRadio.Phone(1)]
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher)
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.stats.snapshot.totals.declined == 1 && service.stats.snapshot.totals.delivered == 1 })
        let scans = radio.scans
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.scans >= scans + 10 })
        service.stop()
        XCTAssertEqual(radio.connects(0), 1)
        XCTAssertEqual(service.stats.snapshot.perAnnouncement["a"]?.declined, 1)
        XCTAssertEqual(service.stats.snapshot.perAnnouncement["b"]?.offered, 1, "b went to the accepting phone only: nothing is offered after a decline")
        XCTAssertEqual(service.stats.snapshot.perAnnouncement["a"]?.offered, 2)
    }

    func testFailuresAreRetriedTwiceWithBackoffThenGivenUp() throws {
        let radio = ScriptedRadio()
        radio.phones = [ScriptedRadio.Phone(0, behaviour: .fail, seconds: 0.01)]
        let pusher = ScriptedPusher()
        let start = Date()
        let service = try makeService(radio, pusher) { $0.rules.retryBackoffSeconds = 0.2 }
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.connects(0) == 3 })
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.2 + 0.4, "backoff 0.2 s then 0.4 s")
        let scans = radio.scans
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.scans >= scans + 30 })
        service.stop()
        XCTAssertEqual(radio.connects(0), 3, "first try + 2 retries")
        XCTAssertEqual(service.stats.snapshot.totals.failed, 3)
    }

    func testARetryOffersOnlyWhatHasNotArrived() throws {
        let radio = ScriptedRadio()
        let phone = ScriptedRadio.Phone(0, behaviour: .deliverThenFail(1))
        radio.phones = [phone]
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher, ids: ["a", "b", "c"])
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.connects(0) == 1 && service.stats.snapshot.totals.failed == 1 })
        radio.lock.lock(); phone.behaviour = .accept; radio.lock.unlock()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.stats.snapshot.totals.delivered == 1 })
        service.stop()
        XCTAssertEqual(radio.received(0), ["a", "b", "c"], "b and c on the retry, a not twice")
    }

    func testADeviceThatCannotReceiveIsSkipped() throws {
        let radio = ScriptedRadio()
        let noHint = ScriptedRadio.Phone(0); noHint.mayReceive = false       // e.g. a headset by its class
        let noOPP = ScriptedRadio.Phone(1); noOPP.hasObjectPush = false      // found out by SDP
        radio.phones = [noHint, noOPP]
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher)
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.stats.snapshot.totals.cannotReceive == 2 })
        let scans = radio.scans
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.scans >= scans + 10 })
        service.stop()
        XCTAssertEqual(radio.connects(0), 0, "never connected")
        XCTAssertEqual(radio.connects(1), 1, "one SDP lookup, no second try")
        XCTAssertEqual(service.stats.snapshot.totals.cannotReceive, 2)
    }

    func testAnAdapterRemovedAndBackResumesByItself() throws {
        let radio = ScriptedRadio()
        radio.phones = [ScriptedRadio.Phone(0)]
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher)
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.stats.snapshot.totals.delivered == 1 })
        radio.lock.lock(); radio.down = ["hci0"]; radio.lock.unlock()
        XCTAssertTrue(ServiceFixtures.waitUntil { service.liveState().adapters.first?.state == "waiting" })
        radio.lock.lock(); radio.phones.append(ScriptedRadio.Phone(1)); radio.down = []; radio.lock.unlock()
        XCTAssertTrue(ServiceFixtures.waitUntil(8) { service.stats.snapshot.totals.delivered == 2 })
        XCTAssertEqual(service.liveState().adapters.first?.state, "scanning")
        service.stop()
        XCTAssertEqual(logs.all.filter { $0.contains("unavailable") }.count, 1, "warned once, not per retry: \(logs.all)")
        XCTAssertTrue(logs.all.contains { $0.contains("hci0 is back") })
    }

    func testStopEndsHangingSessionsQuicklyAndFlushes() throws {
        let radio = ScriptedRadio()
        radio.phones = (0..<4).map { ScriptedRadio.Phone($0, behaviour: .hang) }
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher) { $0.statsFlushSeconds = 3600 }
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { pusher.running == 4 })
        XCTAssertTrue(ServiceFixtures.waitUntil { FileManager.default.fileExists(atPath: service.currentConfig.liveStatePath) })
        let t0 = Date()
        service.stop()
        XCTAssertLessThan(Date().timeIntervalSince(t0), 2)
        XCTAssertEqual(pusher.cancelsSeen, 4)
        XCTAssertEqual(try StatsStore.load(path: service.currentConfig.statsPath).totals.seen, 4, "flushed on stop")
        XCTAssertFalse(FileManager.default.fileExists(atPath: service.currentConfig.liveStatePath))
    }

    func testACatalogChangeOffersOnlyTheNewAnnouncement() throws {
        let radio = ScriptedRadio()
        radio.phones = [ScriptedRadio.Phone(0)]
        let pusher = ScriptedPusher()
        let lock = NSLock()
        var ids = ["a"]
        let service = try makeService(radio, pusher, content: { lock.lock(); defer { lock.unlock() }; return ServiceFixtures.content(ids) })
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.received(0) == ["a"] })
        lock.lock(); ids = ["a", "new"]; lock.unlock()
        service.requestReload()
        XCTAssertTrue(ServiceFixtures.waitUntil { radio.received(0) == ["a", "new"] })
        service.stop()
        XCTAssertEqual(radio.connects(0), 2)
    }

    func testLiveStateShowsTransfersAndNoIdentifiers() throws {
        let radio = ScriptedRadio()
        radio.phones = (0..<3).map { ScriptedRadio.Phone($0, behaviour: .hang) }
        let pusher = ScriptedPusher()
        let service = try makeService(radio, pusher)
        service.start()
        let path = service.currentConfig.liveStatePath
        XCTAssertTrue(ServiceFixtures.waitUntil { LiveState.read(path: path)?.transfersInProgress == 3 })
        let live = LiveState.read(path: path)!
        XCTAssertEqual(live.adapters.map(\.name), ["hci0"])
        XCTAssertTrue(live.isCurrent(now: FrozenWallClock().wallNow()), "its pid is alive and it was written just now")
        let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
        service.stop()
        for p in radio.phones { PrivacyAudit.assertNoAddress(p.address, in: text, where: "live state") }
    }
}
