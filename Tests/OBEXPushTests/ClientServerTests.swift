import Foundation
import XCTest
@testable import OBEXPush

/// Our client against our server, over a socketpair and over TCP.
final class ClientServerTests: XCTestCase {
    final class Recorder: ObjectPushServerDelegate {
        var offers: [IncomingOffer] = []
        var received: [ReceivedObject] = []
        var failures: [ReceiveFailure] = []
        var decision: OfferDecision = .accept
        var acceptConnection = true
        func shouldAcceptConnection() -> Bool { acceptConnection }
        func decide(on offer: IncomingOffer) -> OfferDecision { offers.append(offer); return decision }
        func didReceive(_ object: ReceivedObject) { received.append(object) }
        func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure) { failures.append(reason) }
    }

    /// Runs `server.serve` on the far end of a socketpair.
    func serveOnPair(_ server: ObjectPushServer) throws -> (SocketTransport, DispatchSemaphore, () -> ObjectPushServer.SessionSummary?) {
        let (a, b) = try SocketTransport.pair()
        let done = DispatchSemaphore(value: 0)
        let summary = Locked<ObjectPushServer.SessionSummary?>(nil)
        Thread.detachNewThread {
            let result = server.serve(b)
            summary.update { $0 = result }
            done.signal()
        }
        return (a, done, { summary.get() })
    }

    func testSeveralObjectsInOneSessionArriveByteIdenticalWithTheirNames() throws {
        let dir = try makeScratchDirectory(self)
        let recorder = Recorder()
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5), delegate: recorder)
        let (transport, done, summary) = try serveOnPair(server)
        let big = randomBytes(300_000)
        let sourcePath = dir + "/../" + UUID().uuidString + "-source.opus"
        _ = FileManager.default.createFile(atPath: sourcePath, contents: Data(big))
        defer { try? FileManager.default.removeItem(atPath: sourcePath) }
        let objects = [
            try PushObject(contentsOf: sourcePath, name: "helpline-tl.opus"),
            PushObject(name: "Línea de ayuda — ñandú 求助 😀.opus", bytes: Array("hola".utf8)),
            PushObject(name: "empty.txt", bytes: []),
        ]
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver(objects), [.delivered, .delivered, .delivered])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(summary()?.end, .disconnected)
        XCTAssertEqual(summary()?.received.count, 3)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/helpline-tl.opus")), Data(big))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/Línea de ayuda — ñandú 求助 😀.opus")), Data("hola".utf8))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/empty.txt")).count, 0)
        XCTAssertEqual(recorder.offers.map(\.type), ["audio/ogg", "audio/ogg", "text/plain"])
        XCTAssertEqual(recorder.offers.map(\.length), [300_000, 4, 0])
        XCTAssertEqual(transport.fileDescriptor, -1, "the client closes its transport after DISCONNECT")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".part") }
        XCTAssertEqual(leftovers, [])
    }

    func testOverTCPWithListener() throws {
        let dir = try makeScratchDirectory(self)
        let recorder = Recorder()
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5), delegate: recorder)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let served = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if let t = try? listener.accept(deadline: .after(seconds: 5)) { server.serve(t) }
            served.signal()
        }
        let payload = randomBytes(1 << 20, seed: 7)
        let transport = try TCPTransport.connect(host: "127.0.0.1", port: listener.port, deadline: .after(seconds: 2))
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "one-mebibyte.opus", bytes: payload)]), [.delivered])
        XCTAssertEqual(served.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/one-mebibyte.opus")), Data(payload))
    }

    func testTCPConnectToClosedPortFailsFastAndToSilentAddressTimesOut() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        XCTAssertThrowsError(try TCPTransport.connect(host: "127.0.0.1", port: port, deadline: .after(seconds: 2))) {
            guard case TransportError.system(_, let e) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(e, ECONNREFUSED)
        }
        XCTAssertThrowsError(try TCPTransport.connect(host: "no.such.host.invalid", port: 650, deadline: .after(seconds: 2)))
    }

    func testDeclinedObjectLeavesNoFileAndStopsTheSession() throws {
        let dir = try makeScratchDirectory(self)
        let recorder = Recorder()
        recorder.decision = .decline
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5), delegate: recorder)
        let (transport, done, _) = try serveOnPair(server)
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        let outcomes = client.deliver([PushObject(name: "a.opus", bytes: randomBytes(200_000)), PushObject(name: "b.opus", bytes: [1])])
        XCTAssertEqual(outcomes.first, .declined(code: 0xC3))
        guard case .notAttempted = outcomes.last else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        XCTAssertEqual(recorder.failures, [.declined])
        XCTAssertEqual(recorder.offers.count, 1, "the second object is not offered after a decline")
    }

    func testServerRefusesWholeConnection() throws {
        let dir = try makeScratchDirectory(self)
        let recorder = Recorder()
        recorder.acceptConnection = false
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5), delegate: recorder)
        let (transport, done, summary) = try serveOnPair(server)
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "a.opus", bytes: [1])]), [.declined(code: 0xC3)])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(summary()?.end, .connectionRefused)
        XCTAssertEqual(recorder.offers.count, 0)
    }

    func testSizeLimitRefusesBeforeStoringAnything() throws {
        let dir = try makeScratchDirectory(self)
        let recorder = Recorder()
        let server = ObjectPushServer(configuration: .init(directory: dir, maxObjectSize: 1000, idleTimeout: 5), delegate: recorder)
        let (transport, done, _) = try serveOnPair(server)
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "big.opus", bytes: randomBytes(5000)), PushObject(name: "small.opus", bytes: [7])]),
                       [.refused(code: 0xCD), .delivered])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["small.opus"])
        XCTAssertEqual(recorder.offers.count, 1, "too large is refused before the delegate is asked")
    }

    func testHostileNamesAreStoredInsideTheDirectory() throws {
        let dir = try makeScratchDirectory(self)
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5))
        let (transport, done, _) = try serveOnPair(server)
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        // A NUL ends the name as Android reads it ("c\u{0}x" arrives as "c").
        let names = ["../../escape.opus", "..", "/etc/passwd", "a\u{202E}b\n.opus", "c\u{0}hidden.opus"]
        XCTAssertEqual(client.deliver(names.map { PushObject(name: $0, bytes: [1, 2, 3]) }), Array(repeating: .delivered, count: 5))
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), ["escape.opus", "received", "passwd", "ab.opus", "c"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/../escape.opus"))
    }

    func testExistingFilesAreNeverOverwritten() throws {
        let dir = try makeScratchDirectory(self)
        _ = FileManager.default.createFile(atPath: dir + "/a.opus", contents: Data([9]))
        let server = ObjectPushServer(configuration: .init(directory: dir, idleTimeout: 5))
        let (transport, done, _) = try serveOnPair(server)
        let client = ObjectPushClient(transport: transport, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "a.opus", bytes: [1]), PushObject(name: "a.opus", bytes: [2])]), [.delivered, .delivered])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.opus")), Data([9]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a (1).opus")), Data([1]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a (2).opus")), Data([2]))
    }

    func testSmallestMaxPacketIsHonoured() throws {
        let payload = randomBytes(10_000)
        var got = ReceivedByPeer()
        var sizes: [Int] = []
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest()
            try peer.respondToConnect(maxPacketLength: 255)
            while true {
                let packet = try peer.readPacket()
                sizes.append(packet.count)
                let r = try OBEXRequest.decode(packet[...], maxPacketLength: 0xFFFF)
                if r.opcode == .disconnect { try peer.respond(0xA0); return }
                for h in r.headers where h.id == .body || h.id == .endOfBody { got.body += h.bytes ?? [] }
                try peer.respond(r.opcode == .putFinal ? 0xA0 : 0x90)
            }
        }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "x.opus", bytes: payload)]), [.delivered])
        XCTAssertTrue(peer.wait())
        XCTAssertEqual(client.peerMaxPacketLength, 255)
        XCTAssertEqual(got.body, payload)
        XCTAssertLessThanOrEqual(sizes.max() ?? 0, 255)
    }

}

/// Bodies streamed from files.
final class FileSourceTests: XCTestCase {
    func testFileThatShrinksWhileSentEndsAsLocalFailureWithAbort() throws {
        let dir = try makeScratchDirectory(self)
        let path = dir + "/shrinks.opus"
        _ = FileManager.default.createFile(atPath: path, contents: Data(randomBytes(200_000)))
        let object = try PushObject(contentsOf: path)
        XCTAssertEqual(object.length, 200_000)
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 4096)
            _ = try peer.readRequest()
            truncate(path, 5000)                 // the file changes under the client
            try peer.respond(0x90)
            while let r = try? peer.readRequest(timeout: 2) {
                try peer.respond(r.opcode == .put ? 0x90 : 0xA0)
                if r.opcode == .disconnect { return }
            }
        }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        guard case .localFailure = client.push(object) else { return XCTFail("expected a local failure") }
        client.disconnect()
        XCTAssertTrue(peer.finish())
        XCTAssertTrue(peer.requests.contains { $0.opcode == .abort }, "the half-sent object is aborted")
        XCTAssertEqual(peer.requests.last?.opcode, .disconnect)
    }

    func testUnreadableAndNonRegularFilesAreRefusedUpFront() throws {
        let dir = try makeScratchDirectory(self)
        XCTAssertThrowsError(try PushObject(contentsOf: dir + "/missing.opus")) {
            XCTAssertEqual($0 as? OBEXPushError, .cannotOpenFile(path: dir + "/missing.opus", errno: ENOENT))
        }
        XCTAssertThrowsError(try PushObject(contentsOf: dir)) {
            XCTAssertEqual($0 as? OBEXPushError, .notARegularFile(path: dir))
        }
    }

    func testMimeTypes() {
        XCTAssertEqual(PushObject.mimeType(forName: "a.opus"), "audio/ogg")
        XCTAssertEqual(PushObject.mimeType(forName: "A.OPUS"), "audio/ogg")
        XCTAssertEqual(PushObject.mimeType(forName: "a.mp3"), "audio/mpeg")
        XCTAssertNil(PushObject.mimeType(forName: "noextension"))
        XCTAssertNil(PushObject.mimeType(forName: ".opus"))
    }
}

final class SmallPacketTests: XCTestCase {
    func testNameTooLongForTheSmallestPacketIsALocalFailureNotAnOversizedPacket() throws {
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 255)
            while let r = try? peer.readRequest(timeout: 2) {
                try peer.respond(0xA0)
                if r.opcode == .disconnect { return }
            }
        }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        let outcome = client.push(PushObject(name: String(repeating: "x", count: 200) + ".opus", bytes: [1]))
        guard case .localFailure = outcome else { return XCTFail("\(outcome)") }
        client.disconnect()
        XCTAssertTrue(peer.finish())
        XCTAssertEqual(peer.requests.map(\.opcode), [.connect, .disconnect], "nothing oversized was sent")
    }

    func testHeadersSplitAcrossPacketsWhenTheyDoNotFitTogether() throws {
        // Name (3 + 2×(120+1) = 245 bytes) fits a 255-byte packet only alone;
        // Type and Length follow in the next packet with the first Body bytes.
        let name = String(repeating: "y", count: 115) + ".opus"
        var packets: [OBEXRequest] = []
        var body: [UInt8] = []
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(maxPacketLength: 255)
            while true {
                let packet = try peer.readPacket()
                XCTAssertLessThanOrEqual(packet.count, 255)
                let r = try OBEXRequest.decode(packet[...], maxPacketLength: 255)
                packets.append(r)
                if r.opcode == .disconnect { try peer.respond(0xA0); return }
                for h in r.headers where h.id == .body || h.id == .endOfBody { body += h.bytes ?? [] }
                try peer.respond(r.opcode == .putFinal ? 0xA0 : 0x90)
            }
        }
        let payload = randomBytes(1000)
        XCTAssertEqual(ObjectPushClient(transport: local, timeouts: fastTimeouts).deliver([PushObject(name: name, bytes: payload)]), [.delivered])
        XCTAssertTrue(peer.finish())
        XCTAssertEqual(packets.first?.headers.map(\.id), [.name])
        XCTAssertEqual(packets.dropFirst().first?.headers.map(\.id), [.type, .length, .body])
        XCTAssertEqual(body, payload)
    }
}
