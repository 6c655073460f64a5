import XCTest
@testable import PSACaster

final class ServiceStatsTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = ServiceFixtures.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testCountsPerHourAndPerAnnouncementSurviveARestart() throws {
        let clock = ManualClock(wall: Date(timeIntervalSince1970: 1_780_000_000))   // 2026-05-28T20:26:40Z
        let logs = LogCapture()
        let path = dir + "/stats.json"
        let s = StatsStore(path: path, clock: clock, log: logs.log())
        s.add(phones: .init(seen: 2, offered: 1))
        s.add(announcement: "a", .init(offered: 1, delivered: 1))
        clock.advance(3600)
        s.add(phones: .init(seen: 1, declined: 1))
        s.add(announcement: "a", .init(offered: 1, declined: 1))
        XCTAssertTrue(s.flush())
        let again = StatsStore(path: path, clock: clock, log: logs.log())
        let snap = again.snapshot
        XCTAssertEqual(snap.hours.map(\.hour), ["2026-05-28T20:00Z", "2026-05-28T21:00Z"])
        XCTAssertEqual(snap.totals.seen, 3)
        XCTAssertEqual(snap.perAnnouncement["a"], .init(offered: 2, delivered: 1, declined: 1))
        // No temporary files left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["stats.json"])
    }

    func testAFailedSaveWarnsOnceKeepsCountsAndRecovers() throws {
        let logs = LogCapture()
        let sub = dir + "/later"
        let s = StatsStore(path: sub + "/stats.json", clock: ManualClock(), log: logs.log())
        s.add(phones: .init(seen: 1))
        XCTAssertFalse(s.flush())
        s.add(phones: .init(seen: 1))
        XCTAssertFalse(s.flush())
        XCTAssertEqual(logs.all.filter { $0.contains("cannot save stats") }.count, 1, "\(logs.all)")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        XCTAssertTrue(s.flush())
        XCTAssertEqual(try StatsStore.load(path: sub + "/stats.json").totals.seen, 2, "nothing lost")
        XCTAssertTrue(logs.all.contains { $0.contains("stats saved again") })
    }

    func testAnUnreadableFileIsSetAsideNotFatal() throws {
        let path = dir + "/stats.json"
        try Data("{\"format\": \"psacaster-st".utf8).write(to: URL(fileURLWithPath: path))
        let logs = LogCapture()
        let s = StatsStore(path: path, clock: ManualClock(), log: logs.log())
        XCTAssertEqual(s.snapshot.hours.count, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".unreadable"))
    }

    func testAWriterKilledAtRandomMomentsNeverLeavesATornFile() throws {
        // kill -9 at random points while a child process rewrites the file:
        // every time, the file parses and holds one complete version.
        let path = dir + "/stats.json"
        var first = ServiceStats()
        first.hours = [ServiceStats.Hour(hour: "start")]
        try AtomicFile.write(try JSONEncoder().encode(first), to: path)
        var versions: [Data] = []
        for n in 0..<8 {
            var s = ServiceStats()
            s.hours = (0..<(500 + 300 * n)).map { ServiceStats.Hour(hour: "h\($0)-\(n)") }
            versions.append(try JSONEncoder().encode(s))
        }
        for round in 0..<15 {
            let pid = fork()
            if pid == 0 {
                var i = 0
                while true { try? AtomicFile.write(versions[i % versions.count], to: path); i += 1 }
            }
            usleep(useconds_t(2_000 + (round * 7919) % 20_000))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let loaded = try StatsStore.load(path: path)
            let valid = [1] + (0..<8).map { 500 + 300 * $0 }
            XCTAssertTrue(valid.contains(loaded.hours.count), "round \(round)")
            XCTAssertEqual(Set(loaded.hours.map { $0.hour.split(separator: "-").last! }).count, 1, "one version, not a mix")
        }
    }
}
