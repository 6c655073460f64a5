import Foundation
import XCTest
@testable import OBEXPush

/// The server against broken and hostile senders (the mirror image of
/// HostilePeerTests): it answers with the right code or ends the session,
/// stores nothing partial, never crashes, and serves the next sender.
final class HostileSenderTests: XCTestCase {
    final class Events: ObjectPushServerDelegate {
        var failures: [ReceiveFailure] = []
        var received: [ReceivedObject] = []
        var offers: [IncomingOffer] = []
        var decision = OfferDecision.accept
        func decide(on offer: IncomingOffer) -> OfferDecision { offers.append(offer); return decision }
        func didReceive(_ object: ReceivedObject) { received.append(object) }
        func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure) { failures.append(reason) }
    }

    private var dir = ""
    private let events = Events()

    override func setUpWithError() throws { dir = try makeScratchDirectory(self) }

    /// Runs the server on one end and `script` (the sender) on the other.
    private func serve(maxObjectSize: Int = 1 << 20, idle: Double = 0.5, requireLength: Bool = false,
                       _ script: @escaping (ScriptedPeer) throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) throws -> (ObjectPushServer.SessionSummary, ScriptedPeer) {
        let server = ObjectPushServer(configuration: .init(directory: dir, maxObjectSize: maxObjectSize, maxPacketLength: 0x2000,
                                                           idleTimeout: idle, requireLength: requireLength), delegate: events)
        let (peer, local) = try ScriptedPeer.start(script)
        let start = Date()
        let summary = server.serve(local)
        XCTAssertLessThan(Date().timeIntervalSince(start), idle + 2, "session ended in time", file: file, line: line)
        XCTAssertEqual(local.fileDescriptor, -1, file: file, line: line)
        XCTAssertTrue(peer.finish(), file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".part") }, [],
                       "no temporary file left", file: file, line: line)
        return (summary, peer)
    }

    private func connect(_ peer: ScriptedPeer) throws -> [UInt8] {
        try peer.send(OBEXRequest.connect(maxPacketLength: 0xFC00).encoded())
        return try peer.readPacket()
    }

    private func put(_ peer: ScriptedPeer, _ opcode: OBEXOpcode, _ headers: [OBEXHeader]) throws -> UInt8 {
        try peer.send(OBEXRequest(opcode: opcode, headers: headers).encoded())
        return try peer.readPacket()[0]
    }

    private func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    func testConnectAnswerCarriesOurFields() throws {
        var answer: [UInt8] = []
        let (summary, _) = try serve { peer in answer = try self.connect(peer); _ = try self.put(peer, .disconnect, []) }
        XCTAssertEqual(answer, [0xA0, 0x00, 0x07, 0x10, 0x00, 0x20, 0x00])
        XCTAssertEqual(summary.end, .disconnected)
    }

    func testSilentSenderIsDroppedAtTheIdleTimeout() throws {
        let (summary, _) = try serve { peer in peer.idle(3) }
        XCTAssertEqual(summary.end, .idleTimeout)
    }

    func testSilentMidObjectLeavesNothing() throws {
        let (summary, _) = try serve { peer in
            _ = try self.connect(peer)
            _ = try self.put(peer, .put, [.name("a.opus"), .length(10), .body([1, 2, 3])])
            peer.idle(3)
        }
        XCTAssertEqual(summary.end, .idleTimeout)
        XCTAssertEqual(events.failures, [.timedOut])
        XCTAssertEqual(try files(), [])
    }

    func testGarbageGetsBadRequestAndEndsTheSession() throws {
        var answer: [UInt8] = []
        let (summary, _) = try serve { peer in
            try peer.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))   // 'G' 0x47, length 0x4554 > 0x2000
            answer = try peer.readPacket()
        }
        XCTAssertEqual(answer.first, 0xCE, "request too large for the announced maximum")
        guard case .protocolError = summary.end else { return XCTFail("\(summary.end)") }
    }

    func testLengthBelowThree() throws {
        var answer: [UInt8] = []
        let (summary, _) = try serve { peer in try peer.send([0x82, 0x00, 0x00]); answer = try peer.readPacket() }
        XCTAssertEqual(answer.first, 0xC0)
        guard case .protocolError = summary.end else { return XCTFail("\(summary.end)") }
    }

    func testLengthLargerThanThePacketSent() throws {
        let (summary, _) = try serve { peer in
            _ = try self.connect(peer)
            try peer.send([0x82, 0x01, 0x00, 0x49, 0x00])   // claims 256 bytes, sends 5
            peer.idle(3)
        }
        XCTAssertEqual(summary.end, .idleTimeout)
        XCTAssertEqual(try files(), [])
    }

    func testHeaderLengthOverrunningThePacketGetsBadRequestButTheSessionGoesOn() throws {
        var codes: [UInt8] = []
        let (summary, _) = try serve { peer in
            _ = try self.connect(peer)
            try peer.send([0x82, 0x00, 0x08, 0x48, 0x00, 0x40, 0x01, 0x02])
            codes.append(try peer.readPacket()[0])
            codes.append(try self.put(peer, .putFinal, [.name("ok.txt"), .length(1), .endOfBody([7])]))
            codes.append(try self.put(peer, .disconnect, []))
        }
        XCTAssertEqual(codes, [0xC0, 0xA0, 0xA0])
        XCTAssertEqual(summary.end, .disconnected)
        XCTAssertEqual(try files(), ["ok.txt"])
    }

    func testOneByteWritesStillWork() throws {
        let payload = randomBytes(3000)
        let (summary, _) = try serve(idle: 2) { peer in
            func trickle(_ r: OBEXRequest) throws -> UInt8 {
                for b in try r.encoded() { try peer.send([b]) }
                return try peer.readPacket()[0]
            }
            _ = try trickle(.connect(maxPacketLength: 0xFC00))
            _ = try trickle(OBEXRequest(opcode: .put, headers: [.name("slow.opus"), .length(3000), .body(Array(payload[..<1000]))]))
            _ = try trickle(OBEXRequest(opcode: .putFinal, headers: [.endOfBody(Array(payload[1000...]))]))
            _ = try trickle(OBEXRequest(opcode: .disconnect))
        }
        XCTAssertEqual(summary.received.map(\.byteCount), [3000])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/slow.opus")), Data(payload))
    }

    func testClosesMidPutLeavesNothing() throws {
        let (summary, _) = try serve { peer in
            _ = try self.connect(peer)
            _ = try self.put(peer, .put, [.name("cut.opus"), .length(100_000), .body(randomBytes(4000))])
            peer.transport.close()
        }
        XCTAssertEqual(summary.end, .peerClosed)
        XCTAssertEqual(events.failures, [.connectionLost])
        XCTAssertEqual(try files(), [])
    }

    func testMoreBodyThanLengthIsRefused() throws {
        var code: UInt8 = 0
        _ = try serve { peer in
            _ = try self.connect(peer)
            code = try self.put(peer, .putFinal, [.name("liar.opus"), .length(2), .endOfBody([1, 2, 3])])
        }
        XCTAssertEqual(code, 0xC0)
        XCTAssertEqual(events.failures, [.lengthMismatch(declared: 2, received: 3)])
        XCTAssertEqual(try files(), [])
    }

    func testLessBodyThanLengthIsRefused() throws {
        var code: UInt8 = 0
        _ = try serve { peer in
            _ = try self.connect(peer)
            code = try self.put(peer, .putFinal, [.name("short.opus"), .length(5), .endOfBody([1, 2, 3])])
        }
        XCTAssertEqual(code, 0xC0)
        XCTAssertEqual(try files(), [])
    }

    func testDeclaredLengthAboveTheLimitIsRefusedBeforeTheDelegateIsAsked() throws {
        var code: UInt8 = 0
        _ = try serve(maxObjectSize: 1000) { peer in
            _ = try self.connect(peer)
            code = try self.put(peer, .put, [.name("big.opus"), .length(5000), .body([1])])
        }
        XCTAssertEqual(code, 0xCD)
        XCTAssertEqual(events.offers, [])
    }

    func testFloodWithoutLengthStopsAtTheLimit() throws {
        var codes: [UInt8] = []
        _ = try serve(maxObjectSize: 50_000) { peer in
            _ = try self.connect(peer)
            let chunk = randomBytes(0x1F00)
            var first = true
            while codes.last != 0xCD && codes.count < 100 {
                codes.append(try self.put(peer, .put, first ? [.name("flood.bin"), .body(chunk)] : [.body(chunk)]))
                first = false
            }
            codes.append(try self.put(peer, .put, [.body(chunk)]))   // the rest of the same PUT
        }
        XCTAssertEqual(codes.suffix(2), [0xCD, 0xCD], "refused, and the rest of that PUT too")
        XCTAssertLessThanOrEqual(codes.count, 9)
        XCTAssertEqual(try files(), [])
    }

    func testRequireLengthLikeAndroid() throws {
        var code: UInt8 = 0
        _ = try serve(requireLength: true) { peer in
            _ = try self.connect(peer)
            code = try self.put(peer, .putFinal, [.name("a.opus"), .endOfBody([1])])
        }
        XCTAssertEqual(code, 0xCB)
    }

    func testEndlessHeaderOnlyPackets() throws {
        var codes: [UInt8] = []
        _ = try serve { peer in
            _ = try self.connect(peer)
            for _ in 0..<40 { codes.append(try self.put(peer, .put, [.name("x.opus")])) }
        }
        XCTAssertEqual(codes.prefix(32), ArraySlice(repeating: 0x90, count: 32))
        XCTAssertEqual(codes[32], 0xC0)
    }

    func testTargetIsNotAcceptableAndUnknownOperationsNotImplemented() throws {
        var codes: [UInt8] = []
        _ = try serve { peer in
            try peer.send(OBEXRequest.connect(maxPacketLength: 0xFC00, headers: [.target(Array(repeating: 1, count: 16))]).encoded())
            codes.append(try peer.readPacket()[0])
            codes.append(try self.connect(peer)[0])
            codes.append(try self.put(peer, .getFinal, [.type("text/x-vcard")]))
            try peer.send(OBEXRequest(opcode: .setPath, setPath: OBEXSetPathFields(flags: 2, constants: 0)).encoded())
            codes.append(try peer.readPacket()[0])
            codes.append(try self.put(peer, .putFinal, [.name("delete-me.opus")]))   // a DELETE
            codes.append(try self.put(peer, .disconnect, []))
        }
        XCTAssertEqual(codes, [0xC6, 0xA0, 0xD1, 0xD1, 0xD1, 0xA0])
    }

    func testDeclineAnswersForbiddenToEveryPacketOfThatObject() throws {
        events.decision = .decline
        var codes: [UInt8] = []
        _ = try serve { peer in
            _ = try self.connect(peer)
            codes.append(try self.put(peer, .put, [.name("a.opus"), .length(6), .body([1, 2, 3])]))
            codes.append(try self.put(peer, .putFinal, [.endOfBody([4, 5, 6])]))
        }
        XCTAssertEqual(codes, [0xC3, 0xC3])
        XCTAssertEqual(events.failures, [.declined])
        XCTAssertEqual(try files(), [])
    }

    func testAbortDropsTheObjectAndTheSessionContinues() throws {
        var codes: [UInt8] = []
        _ = try serve { peer in
            _ = try self.connect(peer)
            codes.append(try self.put(peer, .put, [.name("a.opus"), .length(6), .body([1, 2, 3])]))
            codes.append(try self.put(peer, .abort, []))
            codes.append(try self.put(peer, .putFinal, [.name("b.opus"), .length(1), .endOfBody([9])]))
        }
        XCTAssertEqual(codes, [0x90, 0xA0, 0xA0])
        XCTAssertEqual(events.failures, [.aborted])
        XCTAssertEqual(try files(), ["b.opus"])
    }

    func testStopEndsAWaitingSessionQuickly() throws {
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 30), delegate: events)
        let (peer, local) = try ScriptedPeer.start { peer in peer.idle(5) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { server.stop() }
        let start = Date()
        XCTAssertEqual(server.serve(local).end, .stopped)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        XCTAssertTrue(peer.wait())
    }

    func testFuzzedSendersNeverCrashTheServer() throws {
        // Random mutations of a valid session, each against a fresh server.
        let valid: [UInt8] = try OBEXRequest.connect(maxPacketLength: 0xFC00).encoded()
            + OBEXRequest(opcode: .put, headers: [.name("f.opus"), .type("audio/ogg"), .length(4), .body([1, 2])]).encoded()
            + OBEXRequest(opcode: .putFinal, headers: [.endOfBody([3, 4])]).encoded()
            + OBEXRequest(opcode: .disconnect).encoded()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
            let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 0.05))
            let (peer, local) = try ScriptedPeer.start { peer in try peer.send(bytes); peer.idle(0.5) }
            _ = server.serve(local)
            XCTAssertTrue(peer.finish())
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".part") }, [])
    }
}
