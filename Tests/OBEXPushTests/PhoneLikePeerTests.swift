import Foundation
import XCTest
@testable import OBEXPush

/// The client against peers that behave like Android's and KaiOS's OPP
/// receivers (shared/research/bluetooth-opp.md §2 and §3.2).
final class PhoneLikePeerTests: XCTestCase {
    func testAndroidAcceptsWhatWeSend() throws {
        let payload = randomBytes(150_000)
        var got: [ReceivedByPeer] = []
        let (peer, local) = try ScriptedPeer.start { try AndroidPeer.run($0, user: .accepts) { got.append($0) } }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        XCTAssertEqual(client.deliver([PushObject(name: "Helpline ñ.opus", bytes: payload)]), [.delivered])
        XCTAssertTrue(peer.wait())
        XCTAssertNil(peer.error)
        let connect = try XCTUnwrap(peer.requests.first)
        XCTAssertEqual(connect.connect, OBEXConnectFields(version: 0x10, flags: 0, maxPacketLength: 0xFC00))
        XCTAssertNil(connect.headers.first(.target), "OPP sends no Target")
        let firstPut = peer.requests[1]
        XCTAssertEqual(firstPut.opcode, .put)
        XCTAssertEqual(firstPut.headers.map(\.id), [.name, .type, .length, .body], "Name, Type, Length, then Body in the first packet")
        XCTAssertEqual(got.first?.name, "Helpline ñ.opus")
        XCTAssertEqual(got.first?.type, "audio/ogg")
        XCTAssertEqual(got.first?.length, 150_000)
        XCTAssertEqual(got.first?.firstPacketHadBody, true)
        XCTAssertEqual(got.first?.lastOpcode, .putFinal)
        XCTAssertEqual(got.first?.body, payload)
        XCTAssertEqual(peer.requests.filter { $0.opcode == .putFinal }.first?.headers.last?.id, .endOfBody)
        XCTAssertEqual(peer.requests.last?.opcode, .disconnect)
        // Android caps its reply at 0xFFFE; we still send at most what we offered.
        XCTAssertEqual(client.peerMaxPacketLength, 0xFC00)
    }

    func testAndroidDeclineIsDeclinedAndTheRestIsNotOffered() throws {
        let (peer, local) = try ScriptedPeer.start { try AndroidPeer.run($0, user: .declines(after: 0.2)) }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        let outcomes = client.deliver([PushObject(name: "a.opus", bytes: [1, 2]), PushObject(name: "b.opus", bytes: [3])])
        XCTAssertEqual(outcomes.first, .declined(code: 0xC3))
        guard case .notAttempted = outcomes.last else { return XCTFail("\(outcomes)") }
        XCTAssertTrue(peer.wait())
        XCTAssertEqual(peer.requests.filter { $0.opcode == .put || $0.opcode == .putFinal }.count, 1, "the phone rang once")
        XCTAssertEqual(peer.requests.last?.opcode, .disconnect)
    }

    func testAndroidOwnTimeoutArrivesAsForbiddenBeforeOurs() throws {
        // Android gives up at 50 s and answers 0xC3; we wait longer (60 s).
        // Scaled: the phone answers after 0.6 s, our decision deadline is 1 s.
        let start = Date()
        let (peer, local) = try ScriptedPeer.start { try AndroidPeer.run($0, user: .neverAnswers(androidTimeout: 0.6)) }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        XCTAssertEqual(client.push(PushObject(name: "a.opus", bytes: randomBytes(100_000))), .declined(code: 0xC3))
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.55, "the decision wait is not cut short by the 0.5 s packet timeout")
        client.disconnect()
        XCTAssertTrue(peer.wait())
    }

    func testTargetWouldBeRefusedWith0xC6() throws {
        // We never send Target; a phone that answers 0xC6 anyway is reported
        // as "refused as unsupported" (our bug), not as a decline.
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest()
            try peer.respondToConnect(0xC6)
        }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        XCTAssertThrowsError(try client.connect()) { XCTAssertEqual($0 as? DeliveryOutcome, .refusedAsUnsupported(code: 0xC6)) }
        XCTAssertTrue(peer.wait())
        XCTAssertNil(peer.requests.first?.headers.first(.target))
        // Android's own check, exercised directly: a CONNECT with Target.
        let (android, raw) = try ScriptedPeer.start { try AndroidPeer.run($0, user: .accepts) }
        try raw.write(OBEXRequest.connect(maxPacketLength: 0xFC00, headers: [.target(Array(repeating: 0, count: 16))]).encoded(), deadline: .after(seconds: 1))
        let answer = try PacketChannel(transport: raw).readPacket(maximum: 0xFFFF, deadline: .after(seconds: 2), shouldStop: { false })
        XCTAssertEqual(answer.first, 0xC6)
        XCTAssertTrue(android.wait())
    }

    func testLengthIsAlwaysSentSoAndroidNeverAnswersLengthRequired() throws {
        let (peer, local) = try ScriptedPeer.start { try AndroidPeer.run($0, user: .accepts) }
        let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
        // An empty file is the one case Android refuses: 0xCB Length Required.
        XCTAssertEqual(client.deliver([PushObject(name: "a.opus", bytes: [1]), PushObject(name: "empty.opus", bytes: [])]),
                       [.delivered, .refusedAsUnsupported(code: 0xCB)])
        XCTAssertTrue(peer.wait())
        XCTAssertTrue(peer.requests.filter { $0.headers.first(.name) != nil }.allSatisfy { $0.headers.first(.length) != nil })
    }

    func testUnsupportedMediaTypeAndBusyAreReportedWithTheirCodes() throws {
        for (code, expected) in [(UInt8(0xCF), DeliveryOutcome.refusedAsUnsupported(code: 0xCF)),
                                 (0xD3, .busy(code: 0xD3)), (0xC0, .refusedAsUnsupported(code: 0xC0))] {
            let (peer, local) = try ScriptedPeer.start { peer in
                _ = try peer.readRequest(); try peer.respondToConnect()
                _ = try peer.readRequest(); try peer.respond(code)
                _ = peer.answerNext()
            }
            let client = ObjectPushClient(transport: local, timeouts: fastTimeouts)
            XCTAssertEqual(client.deliver([PushObject(name: "a.bin", bytes: [1])]), [expected])
            XCTAssertTrue(peer.wait())
        }
    }

    func testKaiOSDeclinesWithUnauthorized() throws {
        // A large object: the first packet is not final, KaiOS answers 0x41.
        let (peer1, local1) = try ScriptedPeer.start(KaiOSPeer.declining)
        XCTAssertEqual(ObjectPushClient(transport: local1, timeouts: fastTimeouts).deliver([PushObject(name: "a.opus", bytes: randomBytes(100_000))]),
                       [.declined(code: 0x41)])
        XCTAssertTrue(peer1.wait())
        // A small object fits one final packet: KaiOS answers 0xC1.
        let (peer2, local2) = try ScriptedPeer.start(KaiOSPeer.declining)
        XCTAssertEqual(ObjectPushClient(transport: local2, timeouts: fastTimeouts).deliver([PushObject(name: "a.opus", bytes: [1])]),
                       [.declined(code: 0xC1)])
        XCTAssertTrue(peer2.wait())
    }

    func testConnectionIDFromThePeerIsEchoedFirst() throws {
        let (peer, local) = try ScriptedPeer.start { peer in
            _ = try peer.readRequest(); try peer.respondToConnect(headers: [.connectionID(0x0102_0304)])
            _ = try peer.readRequest(); try peer.respond(0xA0)
            _ = peer.answerNext()
        }
        XCTAssertEqual(ObjectPushClient(transport: local, timeouts: fastTimeouts).deliver([PushObject(name: "a.opus", bytes: [1])]), [.delivered])
        XCTAssertTrue(peer.wait())
        XCTAssertEqual(peer.requests[1].headers.first?.uint32, 0x0102_0304)
        XCTAssertEqual(peer.requests[1].headers.first?.id, .connectionID)
    }
}
