import XCTest
import OBEXPush
@testable import PSACaster

/// The real service (scheduler, memory, stats, OBEX client) against
/// simulated phones that are real OBEX servers on loopback TCP.
final class SimulatedPhonesTests: XCTestCase {
    var dir = ""
    let logs = LogCapture()

    override func setUp() { dir = ServiceFixtures.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A real catalog on disk: two approved announcements (one larger than
    /// an OBEX packet, so it takes several PUTs) and one unapproved.
    func makeCatalog() throws -> (path: String, files: [String: [UInt8]]) {
        let root = dir + "/Audio"
        try FileManager.default.createDirectory(atPath: root + "/en", withIntermediateDirectories: true)
        var manifest = CatalogManifest()
        var files: [String: [UInt8]] = [:]
        var rng = SplitMix(seed: 7)
        for (id, size, approved) in [("helpline-en", 20_000, true), ("rights-en", 150_000, true), ("draft-en", 5_000, false)] {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let file = "en/\(id).opus"
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + file))
            manifest.announcements.append(Announcement(
                id: id, title: id, language: "en", helpline: nil, file: file, durationSeconds: 10,
                sizeBytes: size, sha256: Digest.hex(Digest.sha256(bytes)), created: Date(), source: "sample",
                approval: approved ? Approval(by: "test", at: Date()) : nil))
            if approved { files["\(id).opus"] = bytes }
        }
        manifest.campaigns = [Campaign(name: "test", announcements: ["helpline-en", "rights-en", "draft-en"], languages: nil)]
        try CatalogManifest.jsonEncoder.encode(manifest).write(to: URL(fileURLWithPath: root + "/catalog.json"))
        return (root, files)
    }

    func makeService(_ sim: PhoneSimulation, catalog: String, tweak: (inout ServiceConfig) -> Void = { _ in }) throws -> BroadcastService {
        var c = ServiceFixtures.config(state: dir + "/state")
        try FileManager.default.createDirectory(atPath: c.stateDirectory, withIntermediateDirectories: true)
        c.catalogDirectory = catalog
        c.adapters = sim.radio.adapterNames()
        c.connectTimeoutSeconds = 1
        c.answerTimeoutSeconds = 1.5
        c.packetTimeoutSeconds = 1
        c.rules.retryBackoffSeconds = 0.2
        tweak(&c)
        return try BroadcastService(config: c, radio: sim.radio, pusher: OBEXPusher(), clock: FrozenWallClock(), log: logs.log(.debug),
                                    loadContent: { try CampaignContent.load(catalog: $0.catalogDirectory, choice: $0.campaign) })
    }

    func testMixedCrowdEachPhoneGetsWhatTheRulesSay() throws {
        let (catalog, files) = try makeCatalog()
        let spec = try SimulationSpec.parse("accept=6,decline=2,vanish=1,silent=1,noopp=1,hostile=1,flaky=1,decide=0.05-0.3,arrive=1,scan=0.1,dir=\(dir)/phones")
        let sim = try PhoneSimulation(spec: spec)
        let service = try makeService(sim, catalog: catalog)
        XCTAssertEqual(service.currentContent.ids, ["helpline-en", "rights-en"], "approved only, in campaign order")
        sim.start()
        service.start()
        let settled = ServiceFixtures.waitUntil(40) {
            sim.isSettled(campaignSize: 2, maxRetries: 2) && service.liveState().transfersInProgress == 0
        }
        // A few more scan rounds: nothing more may happen.
        Thread.sleep(forTimeInterval: 0.5)
        service.stop()
        sim.stop()
        XCTAssertTrue(settled, sim.summary())

        for p in sim.phones {
            let received = sim.read(p) { $0.received }
            let (connections, offers) = sim.read(p) { ($0.connections, $0.offers) }
            switch p.behaviour {
            case .accept, .flaky:
                XCTAssertEqual(received.map(\.name).sorted(), files.keys.sorted(), "phone \(p.number) gets each file exactly once")
                for r in received { XCTAssertEqual(r.sha256, Digest.hex(Digest.sha256(files[r.name]!)), "byte-identical") }
                XCTAssertEqual(connections, p.behaviour == .flaky ? 2 : 1)
            case .decline:
                XCTAssertEqual(offers, 1, "a decliner is asked once")
                XCTAssertEqual(connections, 1)
                XCTAssertTrue(received.isEmpty)
            case .noopp:
                XCTAssertEqual(connections, 0, "never connected for a push")
                XCTAssertEqual(sim.radio.lookups(p.number), 1, "one service lookup, then skipped")
            case .vanish, .silent, .hostile:
                XCTAssertEqual(connections, 3, "phone \(p.number) (\(p.behaviour)): first try and 2 retries")
                XCTAssertTrue(received.isEmpty)
            }
        }
        let stats = try StatsStore.load(path: service.currentConfig.statsPath)
        XCTAssertEqual(stats.totals.seen, 13)
        XCTAssertEqual(stats.totals.delivered, 7)
        XCTAssertEqual(stats.totals.declined, 2)
        XCTAssertEqual(stats.totals.cannotReceive, 1)
        XCTAssertEqual(stats.totals.failed, 3 * 3 + 1)
        XCTAssertEqual(stats.perAnnouncement["helpline-en"]?.delivered, 7)
        XCTAssertEqual(stats.perAnnouncement["rights-en"]?.delivered, 7)
        XCTAssertEqual(stats.perAnnouncement["helpline-en"]?.declined, 2)
        XCTAssertNil(stats.perAnnouncement["draft-en"], "unapproved never offered")

        // Privacy audit: no address in any notation in the logs (debug level)
        // or in anything the service wrote.
        let logText = logs.all.joined(separator: "\n")
        XCTAssertGreaterThan(logs.all.count, 20)
        for p in sim.phones {
            PrivacyAudit.assertNoAddress(p.address, in: logText, where: "log")
            for (name, text) in PrivacyAudit.filesText(under: service.currentConfig.stateDirectory) {
                PrivacyAudit.assertNoAddress(p.address, in: text, where: name)
            }
        }
        XCTAssertEqual(logs.all.filter { $0.contains(": delivered 2 of 2") }.count, 7, logText)
    }

    func testSevenTransfersRunAtOnceOverTCP() throws {
        let (catalog, _) = try makeCatalog()
        let sim = try PhoneSimulation(spec: try SimulationSpec.parse("accept=20,decide=0.4,scan=0.05,dir=\(dir)/phones"))
        let service = try makeService(sim, catalog: catalog) { $0.transfersPerAdapter = 7 }
        sim.start()
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil(30) { service.stats.snapshot.totals.delivered == 20 })
        service.stop()
        sim.stop()
        XCTAssertEqual(service.peakConcurrentTransfers, 7)
        for p in sim.phones { XCTAssertEqual(sim.read(p) { $0.received.count }, 2) }
    }

    func testStopDuringTransfersIsQuick() throws {
        let (catalog, _) = try makeCatalog()
        let sim = try PhoneSimulation(spec: try SimulationSpec.parse("accept=5,decide=30,scan=0.05,dir=\(dir)/phones"))
        let service = try makeService(sim, catalog: catalog) { $0.answerTimeoutSeconds = 60 }
        sim.start()
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil(10) { service.liveState().transfersInProgress == 4 })
        let t0 = Date()
        service.stop()
        let took = Date().timeIntervalSince(t0)
        sim.stop()
        XCTAssertLessThan(took, 3, "stops within a few seconds")
        XCTAssertEqual(try StatsStore.load(path: service.currentConfig.statsPath).totals.offered, 4)
        XCTAssertTrue(logs.all.contains { $0.contains("stopped by shutdown") }, logs.all.joined(separator: "\n"))
    }

    func testACatalogEditedWhileRunningIsPickedUpWithoutASignal() throws {
        let (catalog, _) = try makeCatalog()
        let sim = try PhoneSimulation(spec: try SimulationSpec.parse("accept=2,decide=0.05,scan=0.05,dir=\(dir)/phones"))
        let service = try makeService(sim, catalog: catalog)
        sim.start()
        service.start()
        XCTAssertTrue(ServiceFixtures.waitUntil(10) { service.stats.snapshot.totals.delivered == 2 })
        // What `psacaster approve` does: a new manifest replaces the old one.
        var manifest = try CatalogManifest.jsonDecoder.decode(CatalogManifest.self, from: Data(contentsOf: URL(fileURLWithPath: catalog + "/catalog.json")))
        let i = manifest.announcements.firstIndex { $0.id == "draft-en" }!
        manifest.announcements[i].approval = Approval(by: "reviewer", at: Date())
        try AtomicFile.write(try CatalogManifest.jsonEncoder.encode(manifest), to: catalog + "/catalog.json")
        XCTAssertTrue(ServiceFixtures.waitUntil(15) { sim.phones.allSatisfy { p in sim.read(p) { $0.received.count } == 3 } }, sim.summary())
        service.stop()
        sim.stop()
        for p in sim.phones {
            XCTAssertEqual(sim.read(p) { $0.received.map(\.name) }, ["helpline-en.opus", "rights-en.opus", "draft-en.opus"], "only the new one the second time")
        }
        XCTAssertTrue(logs.all.contains { $0.contains("catalog changed: campaign 'test' with 3 announcement(s)") }, logs.all.joined(separator: "\n"))
    }

    func testSpecMistakesAreClear() {
        XCTAssertThrowsError(try SimulationSpec.parse("acept=3")) { XCTAssertTrue("\($0)".contains("did you mean 'accept'"), "\($0)") }
        XCTAssertThrowsError(try SimulationSpec.parse("decide=5-1"))
        XCTAssertThrowsError(try SimulationSpec.parse("arrive=10"))
        XCTAssertEqual(try SimulationSpec.parse("demo").phoneCount, 11)
    }
}
