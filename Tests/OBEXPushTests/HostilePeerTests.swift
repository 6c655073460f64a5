import Foundation
import XCTest
@testable import OBEXPush

/// Phones that are broken or hostile: the client must end with the right
/// outcome within its deadline, free its transport, and serve the next one.
/// Deadlines here: connect 1 s, decision 1 s, packet 0.5 s, goodbye 0.5 s.
final class HostilePeerTests: XCTestCase {
    private var descriptorsBefore = 0

    override func setUp() { descriptorsBefore = openDescriptorCount() }

    /// Pushes one object to a scripted peer; checks the outcome, the time
    /// it took and that everything was released.
    @discardableResult
    private func push(to script: @escaping (ScriptedPeer) throws -> Void, bytes: [UInt8] = randomBytes(100_000),
                      expect: (DeliveryOutcome) -> Bool, within seconds: Double,
                      file: StaticString = #filePath, line: UInt = #line) throws -> ScriptedPeer {
        let (peer, local) = try ScriptedPeer.start(script)
        let start = Date()
        var outcome: DeliveryOutcome?
        do {
            let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
            outcome = client.deliver([PushObject(name: "a.opus", bytes: bytes)]).first
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(outcome.map(expect) ?? false, "unexpected outcome \(String(describing: outcome))", file: file, line: line)
        XCTAssertLessThan(elapsed, seconds, "took \(elapsed) s", file: file, line: line)
        XCTAssertEqual(local.fileDescriptor, -1, "transport closed after the outcome", file: file, line: line)
        XCTAssertTrue(peer.finish(), file: file, line: line)
        return peer
    }

    override func tearDown() {
        // Give scripted threads a moment to close their ends, then compare.
        let deadline = Date().addingTimeInterval(2)
        while openDescriptorCount() > descriptorsBefore && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertLessThanOrEqual(openDescriptorCount(), descriptorsBefore, "descriptors leaked")
    }

    func testNeverAnswersConnect() throws {
        try push(to: { peer in _ = try peer.readRequest(); peer.idle(3) },
                 expect: { $0 == .timedOut(step: .connect) }, within: 2)
    }

    func testNeverAnswersTheDecisionThenGetsAbort() throws {
        var sawAbort = false
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()               // first PUT with Body: silence
            let next = try peer.readRequest(timeout: 3)
            sawAbort = next.opcode == .abort
        }, expect: { $0 == .timedOut(step: .decision) }, within: 2.5)
        XCTAssertTrue(sawAbort, "a timed-out transfer is ended with ABORT")
    }

    func testAnswersAfterTheDeadline() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()
            Thread.sleep(forTimeInterval: 1.5)
            try? peer.respond(0xA0)
        }, bytes: [1, 2, 3], expect: { $0 == .timedOut(step: .decision) }, within: 2.5)
    }

    func testStallsMidTransfer() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 1000)
            _ = try peer.readRequest(); try peer.respond(0x90)   // accepted
            _ = try peer.readRequest()                            // then silence
            peer.idle(2)
        }, expect: { $0 == .timedOut(step: .transfer) }, within: 2)
    }

    func testGarbageInsteadOfOBEX() throws {
        try push(to: { peer in
            _ = try peer.readRequest()
            try peer.send(Array("SSH-2.0-OpenSSH\r\n".utf8))   // 0x53 0x53 0x48: length 0x5348 fits, so check a short one too
        }, expect: { if case .linkLost = $0 { return true }; if case .protocolViolation = $0 { return true }; return false }, within: 2)
        try push(to: { peer in
            _ = try peer.readRequest()
            try peer.send([0xA0, 0x00, 0x01, 0xFF, 0xFF])
            peer.idle(2)
        }, expect: { if case .protocolViolation = $0 { return true }; return false }, within: 1)
    }

    func testLengthFieldLargerThanThePacketSent() throws {
        try push(to: { peer in
            _ = try peer.readRequest()
            try peer.send([0xA0, 0x01, 0x00, 0x10, 0x00, 0xFC, 0x00])   // says 256, sends 7, then silence
            peer.idle(2)
        }, expect: { $0 == .timedOut(step: .connect) }, within: 2)
    }

    func testLengthFieldLargerThanTheNegotiatedMaximum() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()
            try peer.send([0xA0, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 0xFFFC))
        }, expect: { $0 == .protocolViolation(detail: "packet of 65535 bytes exceeds the negotiated maximum of 64512") }, within: 1)
    }

    func testConnectAnswerBelowTheMinimumPacketSize() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 100)
        }, expect: { if case .protocolViolation = $0 { return true }; return false }, within: 1)
    }

    func testResponsesSplitIntoOneByteWrites() throws {
        let payload = randomBytes(20_000)
        var body: [UInt8] = []
        try push(to: { peer in
            func trickle(_ bytes: [UInt8]) throws { for b in bytes { try peer.send([b]); Thread.sleep(forTimeInterval: 0.002) } }
            _ = try peer.readRequest()
            try trickle(OBEXResponse(code: .success, connect: OBEXConnectFields(maxPacketLength: 4096)).encoded())
            while true {
                let r = try peer.readRequest()
                if r.opcode == .disconnect { try trickle([0xA0, 0x00, 0x03]); return }
                for h in r.headers where h.id == .body || h.id == .endOfBody { body += h.bytes ?? [] }
                try trickle(r.opcode == .putFinal ? [0xA0, 0x00, 0x03] : [0x90, 0x00, 0x03])
            }
        }, bytes: payload, expect: { $0 == .delivered }, within: 5)
        XCTAssertEqual(body, payload)
    }

    func testClosesMidPut() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 1000)
            _ = try peer.readRequest(); try peer.respond(0x90)
            _ = try peer.readRequest()
            peer.transport.close()
        }, expect: { $0 == .linkLost(step: .transfer) }, within: 1)
    }

    func testClosesInsteadOfAnsweringConnect() throws {
        try push(to: { peer in _ = try peer.readRequest() }, expect: { $0 == .linkLost(step: .connect) }, within: 1)
    }

    func testContinueForever() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 1000)
            while let r = try? peer.readRequest(timeout: 2) { try peer.respond(r.opcode == .abort ? 0xA0 : 0x90) }
        }, expect: { $0 == .protocolViolation(detail: "the peer answered Continue to the final PUT") }, within: 2)
    }

    func testSuccessBeforeTheFinalPacket() throws {
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 1000)
            _ = try peer.readRequest(); try peer.respond(0xA0)
        }, expect: { if case .protocolViolation = $0 { return true }; return false }, within: 1)
    }

    func testFloodsBytes() throws {
        try push(to: { peer in
            _ = try peer.readRequest()
            let junk = [UInt8](repeating: 0x90, count: 1 << 16)
            for _ in 0..<200 { try peer.send(junk) }   // 13 MB of 0x90 0x90 0x90…: length 0x9090 ≤ max, then more
        }, expect: { if case .protocolViolation = $0 { return true }; return false }, within: 2)
        try push(to: { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            // A flood of well-formed Continue answers to requests never sent.
            let continues = [UInt8]((0..<10_000).flatMap { _ in [0x90, 0x00, 0x03] as [UInt8] })
            for _ in 0..<50 { try peer.send(continues) }
        }, expect: { if case .protocolViolation = $0 { return true }; if case .linkLost = $0 { return true }; return false }, within: 2)
    }

    func testMutatedAnswersNeverCrashOrHangTheClient() throws {
        // A valid answer stream for one small object, randomly corrupted;
        // the peer then hangs up, so every run ends at once.
        let valid: [UInt8] = try OBEXResponse(code: .success, connect: OBEXConnectFields(maxPacketLength: 0x400)).encoded()
            + [0x90, 0x00, 0x03, 0xA0, 0x00, 0x03, 0xA0, 0x00, 0x03]
        var rng = SystemRandomNumberGenerator()
        var kinds: Set<String> = []
        for _ in 0..<150 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let (peer, local) = try ScriptedPeer.start { peer in try? peer.send(bytes) }
            let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
            let start = Date()
            let outcome = client.deliver([PushObject(name: "a.opus", bytes: randomBytes(3000))])
            XCTAssertLessThan(Date().timeIntervalSince(start), 2.5)
            kinds.insert(outcome.first?.kind ?? "none")
            XCTAssertEqual(local.fileDescriptor, -1)
            XCTAssertTrue(peer.finish())
        }
        XCTAssertTrue(kinds.isSubset(of: ["delivered", "declined", "unsupported", "busy", "refused", "timed-out", "link-lost", "protocol-violation"]), "\(kinds)")
    }

    func testNextPhoneIsServedAfterAHostileOne() throws {
        try push(to: { peer in _ = try peer.readRequest(); try peer.send([0x00, 0x00, 0x00]) },
                 expect: { if case .protocolViolation = $0 { return true }; return false }, within: 1)
        try push(to: { try AndroidPeer.run($0, user: .accepts) }, expect: { $0 == .delivered }, within: 2)
    }
}

/// Cancelling from another thread, as the broadcast service does on SIGTERM.
final class CancellationTests: XCTestCase {
    func testCancelWhileThePhoneUserDecides() throws {
        var tail: [OBEXOpcode?] = []
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()          // the user is deciding…
            peer.reached()
            tail.append(peer.answerNext())      // ABORT
            tail.append(peer.answerNext())      // DISCONNECT
        }
        let client = ObjectPushClient(transport: local)    // default 60 s decision deadline
        let cancelledAt = Locked<Date?>(nil)
        Thread.detachNewThread {
            guard peer.waitUntilReached() else { return }
            Thread.sleep(forTimeInterval: 0.2)
            cancelledAt.update { $0 = Date() }
            client.cancel()
        }
        let outcomes = client.deliver([PushObject(name: "a.opus", bytes: randomBytes(100_000)), PushObject(name: "b.opus", bytes: [1])])
        let elapsed = Date().timeIntervalSince(try XCTUnwrap(cancelledAt.get()))
        XCTAssertEqual(outcomes, [.cancelled, .cancelled])
        XCTAssertLessThan(elapsed, 1.5, "cancel must take effect within about a second")
        XCTAssertTrue(peer.wait())
        XCTAssertEqual(tail, [.abort, .disconnect], "ended politely")
        XCTAssertEqual(local.fileDescriptor, -1)
    }

    func testCancelWhileTheLinkIsDeadStillEndsQuickly() throws {
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()
            peer.reached()
            peer.idle(4)                        // answers nothing, not even ABORT
        }
        let client = ObjectPushClient(transport: local)
        let cancelledAt = Locked<Date?>(nil)
        Thread.detachNewThread {
            guard peer.waitUntilReached() else { return }
            cancelledAt.update { $0 = Date() }
            client.cancel()
        }
        XCTAssertEqual(client.push(PushObject(name: "a.opus", bytes: [1, 2, 3])), .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(try XCTUnwrap(cancelledAt.get())), 2.0)
        XCTAssertTrue(peer.finish())
    }

    func testCancelWhileAWriteIsStuckOnAPeerThatStoppedReading() throws {
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect()
            _ = try peer.readRequest()
            // Answer Continue many times ahead, then stop reading: the
            // client's writes fill the socket buffer and block.
            for _ in 0..<20 { try peer.respond(0x90) }   // more than the socket buffer lets through
            peer.reached()
            peer.holdUntilReleased(max: 5)
        }
        let client = ObjectPushClient(transport: local, timeouts: .init(transfer: 30))
        let object = PushObject(name: "a.opus", bytes: [UInt8](repeating: 0x55, count: 20 << 20))
        let cancelledAt = Locked<Date?>(nil)
        Thread.detachNewThread {
            guard peer.waitUntilReached() else { return }
            Thread.sleep(forTimeInterval: 0.5)   // the client's writes fill the socket buffer
            cancelledAt.update { $0 = Date() }
            client.cancel()
        }
        XCTAssertEqual(client.push(object), .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(try XCTUnwrap(cancelledAt.get())), 1.5)
        XCTAssertEqual(local.fileDescriptor, -1)
        peer.release()
        XCTAssertTrue(peer.wait())
    }

    func testManyConcurrentPushesAllStopOnCancel() throws {
        var clients: [ObjectPushClient] = []
        var peers: [ScriptedPeer] = []
        for _ in 0..<6 {
            let (peer, local) = try ScriptedPeer.start { peer in
                _ = try peer.readRequest(); try peer.respondToConnect()
                _ = try peer.readRequest()
                peer.reached()
                _ = peer.answerNext(); _ = peer.answerNext()
            }
            peers.append(peer)
            clients.append(ObjectPushClient(transport: local))
        }
        let group = DispatchGroup()
        let outcomes = Locked<[DeliveryOutcome]>([])
        for client in clients {
            group.enter()
            Thread.detachNewThread {
                let o = client.push(PushObject(name: "a.opus", bytes: [1, 2, 3]))
                outcomes.update { $0.append(o) }
                group.leave()
            }
        }
        for peer in peers { XCTAssertTrue(peer.waitUntilReached()) }   // every phone is asking its user
        let start = Date()
        clients.forEach { $0.cancel() }
        XCTAssertEqual(group.wait(timeout: .now() + 3), .success)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertEqual(outcomes.get(), Array(repeating: .cancelled, count: 6))
        peers.forEach { XCTAssertTrue($0.wait()) }
    }
}
