import OBEXPush
import XCTest
@testable import PSACaster

/// The receive path without a radio: our OBEX client pushes over a
/// socketpair to an ObjectPushServer whose delegate is the inbox (allowed
/// phone) or the refusing delegate (any other device).
final class ReceiveInboxTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("receive-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Two seconds of a voice-like tone (harmonics, syllable envelope).
    func recording() throws -> String {
        let path = dir.appendingPathComponent("voice.wav").path
        let w = try WAVFileWriter(path: path, rate: 16_000)
        let samples = (0..<32_000).map { i -> Int16 in
            let t = Double(i) / 16_000
            let env = 0.5 + 0.5 * sin(2 * .pi * 3 * t)
            let v = (sin(2 * .pi * 180 * t) + 0.5 * sin(2 * .pi * 360 * t) + 0.25 * sin(2 * .pi * 720 * t)) * env
            return Int16(v * 9_000)
        }
        try w.append(samples)
        try w.finish()
        return path
    }

    func push(_ file: String, name: String, to delegate: ObjectPushServerDelegate, uploads: String, maxSize: Int = 1 << 20) throws -> DeliveryOutcome {
        let (a, b) = try SocketTransport.pair()
        let server = ObjectPushServer(configuration: .init(directory: uploads, maxObjectSize: maxSize, idleTimeout: 10), delegate: delegate)
        let done = expectation(description: "session")
        Thread { server.serve(a); done.fulfill() }.start()
        let client = ObjectPushClient(transport: b, timeouts: .init(connect: 10, decision: 60, transfer: 10, goodbye: 1))
        let outcome = client.deliver([try PushObject(contentsOf: file, name: name)])[0]
        b.close()
        wait(for: [done], timeout: 90)
        (delegate as? RecordingInbox)?.processPending()
        return outcome
    }

    func testAllowedPhoneLandsInTheInboxUnapproved() throws {
        let store = CatalogStore(root: dir.appendingPathComponent("Audio"))
        var lines: [String] = []
        let inbox = try RecordingInbox(store: store, language: try LanguageTag("km"), report: { lines.append($0) })
        let outcome = try push(try recording(), name: "Voice 001.wav", to: inbox, uploads: inbox.uploads.path)
        XCTAssertEqual(outcome, .delivered)
        let m = try store.load()
        XCTAssertEqual(m.announcements.count, 1)
        let a = try XCTUnwrap(m.announcements.first)
        XCTAssertEqual(a.title, "Voice 001 (received)")
        XCTAssertEqual(a.language, "km")
        XCTAssertEqual(a.source, "received")
        XCTAssertNil(a.approval)
        XCTAssertEqual(CatalogCLI.state(a), "inbox")
        XCTAssertTrue(try CatalogVerifier.verify(store).valid)
        // The raw upload is gone once it is in the catalog.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: inbox.uploads.path), [])
        XCTAssertEqual(lines.count, 1)
        // The same name again gets a distinct title instead of a refusal.
        XCTAssertEqual(try push(try recording(), name: "Voice 001.wav", to: inbox, uploads: inbox.uploads.path), .delivered)
        XCTAssertEqual(try store.load().announcements.map(\.title), ["Voice 001 (received)", "Voice 001 (received) 2"])
        // Campaigns never select inbox items.
        try store.update { $0.campaigns = [Campaign(name: "c", announcements: nil, languages: ["km"])] }
        let after = try store.load()
        XCTAssertEqual(after.campaigns[0].selection(from: after), [])
    }

    func testOtherDevicesAreForbiddenAndNothingIsStored() throws {
        let uploads = dir.appendingPathComponent("uploads")
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        let refusing = RefusingDelegate()
        let outcome = try push(try recording(), name: "x.wav", to: refusing, uploads: uploads.path)
        XCTAssertEqual(outcome, .declined(code: 0xC3))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: uploads.path), [])
    }

    func testOversizeAndHostileNames() throws {
        let store = CatalogStore(root: dir.appendingPathComponent("Audio"))
        let inbox = try RecordingInbox(store: store, language: try LanguageTag("en"), report: { _ in })
        let tooBig = try push(try recording(), name: "big.wav", to: inbox, uploads: inbox.uploads.path, maxSize: 1000)
        XCTAssertNotEqual(tooBig, .delivered)
        XCTAssertTrue(try !store.exists || store.load().announcements.isEmpty)
        XCTAssertEqual(try push(try recording(), name: "../../etc/passwd", to: inbox, uploads: inbox.uploads.path), .delivered)
        let a = try XCTUnwrap(try store.load().announcements.first)
        XCTAssertFalse(a.title.contains("/"))
        XCTAssertTrue(DeliveryName.isValid(a.deliveryName))
    }

    func testAllowlist() throws {
        let list = try ReceiveAllowlist(["00:11:22:aa:bb:cc", "66-77-88-99-AA-BB"])
        XCTAssertTrue(list.allows("00:11:22:AA:BB:CC"))
        XCTAssertTrue(list.allows("66:77:88:99:aa:bb"))
        XCTAssertFalse(list.allows("00:11:22:AA:BB:CD"))
        XCTAssertThrowsError(try ReceiveAllowlist(["00:11:22:33:44"]))
        XCTAssertThrowsError(try ReceiveAllowlist(["phone"]))
    }
}
