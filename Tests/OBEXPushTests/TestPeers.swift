import Foundation
import XCTest
@testable import OBEXPush

/// The far end of a socketpair, driven by a script on its own thread: a
/// phone (for client tests) or a sender (for server tests), well-behaved or
/// hostile. Scripts speak raw bytes through the codec, so tests read as the
/// bytes on the wire.
final class ScriptedPeer {
    let transport: SocketTransport
    private let done = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let milestone = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _requests: [OBEXRequest] = []
    private var _error: Error?

    /// Starts `script` on a new thread with the peer's end; returns the
    /// other end for the code under test.
    static func start(_ script: @escaping (ScriptedPeer) throws -> Void) throws -> (peer: ScriptedPeer, local: SocketTransport) {
        let (a, b) = try SocketTransport.pair()
        let peer = ScriptedPeer(transport: b)
        Thread.detachNewThread {
            do { try script(peer) } catch { peer.lock.lock(); peer._error = error; peer.lock.unlock() }
            peer.transport.close()
            peer.done.signal()
        }
        return (peer, a)
    }

    private init(transport: SocketTransport) { self.transport = transport }

    var requests: [OBEXRequest] { lock.lock(); defer { lock.unlock() }; return _requests }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }

    /// Waits for the script to finish.
    @discardableResult
    func wait(timeout: Double = 10) -> Bool { done.wait(timeout: .now() + timeout) == .success }

    /// Lets the script finish what it is reading, then breaks off whatever
    /// it still waits for; true once it has ended.
    func finish(grace: Double = 1) -> Bool {
        if wait(timeout: grace) { return true }
        transport.interrupt()
        release()
        return wait(timeout: 5)
    }

    /// Reads one whole packet (any size up to 0xFFFF).
    func readPacket(timeout: Double = 5) throws -> [UInt8] {
        let channel = PacketChannel(transport: transport)
        return try channel.readPacket(maximum: 0xFFFF, deadline: .after(seconds: timeout), shouldStop: { false })
    }

    /// Reads and decodes one request, and logs it.
    func readRequest(timeout: Double = 5) throws -> OBEXRequest {
        let r = try OBEXRequest.decode(try readPacket(timeout: timeout)[...], maxPacketLength: 0xFFFF)
        lock.lock(); _requests.append(r); lock.unlock()
        return r
    }

    /// Stays silent (discarding anything sent) until the other end closes
    /// or `seconds` pass: a peer that "never answers" without holding the
    /// test up after the client has given up.
    func idle(_ seconds: Double) {
        let deadline = Deadline.after(seconds: seconds)
        while !deadline.hasPassed {
            guard let bytes = try? transport.read(maxBytes: 1 << 16, deadline: deadline), !bytes.isEmpty else { return }
        }
    }

    /// The script marks a point (e.g. "the user is now deciding") that the
    /// test waits for, so timing does not depend on machine load.
    func reached() { milestone.signal() }
    func waitUntilReached(timeout: Double = 10) -> Bool { milestone.wait(timeout: .now() + timeout) == .success }

    /// Does nothing at all (not even reading) until `release()` or timeout.
    func holdUntilReleased(max seconds: Double) { _ = released.wait(timeout: .now() + seconds) }
    func release() { released.signal() }

    func send(_ bytes: [UInt8]) throws { try transport.write(bytes, deadline: .after(seconds: 5)) }

    func respond(_ code: UInt8, headers: [OBEXHeader] = []) throws {
        try send(OBEXResponse(code: OBEXResponseCode(rawValue: code), headers: headers).encoded())
    }

    func respondToConnect(_ code: UInt8 = 0xA0, maxPacketLength: UInt16 = 0xFFFE, headers: [OBEXHeader] = []) throws {
        try send(OBEXResponse(code: OBEXResponseCode(rawValue: code), connect: OBEXConnectFields(maxPacketLength: maxPacketLength), headers: headers).encoded())
    }

    /// Reads a request and answers it, for the polite tail of a session
    /// (ABORT/DISCONNECT), returning its opcode; nil if the link closed.
    func answerNext(_ code: UInt8 = 0xA0, timeout: Double = 5) -> OBEXOpcode? {
        guard let r = try? readRequest(timeout: timeout) else { return nil }
        try? respond(code)
        return r.opcode
    }
}

/// What a phone-like peer received of one object.
struct ReceivedByPeer {
    var name: String?
    var type: String?
    var length: UInt32?
    var body: [UInt8] = []
    var firstPacketHadBody = false
    var lastOpcode: OBEXOpcode?
}

/// The Android OPP receiver as the research notes describe it
/// (shared/research/bluetooth-opp.md §2): Target → 0xC6; header-only PUT
/// packets answered at once; the first packet with Body blocks on the
/// user; decline and timeout both → 0xC3, and every later PUT of the
/// session → 0xC3; no Name → 0xC0; Length 0 → 0xCB; no Length → 0xD0.
enum AndroidPeer {
    enum User { case accepts, declines(after: Double), neverAnswers(androidTimeout: Double) }

    static func run(_ peer: ScriptedPeer, user: User, objects: Int = 1, received: ((ReceivedByPeer) -> Void)? = nil) throws {
        let connect = try peer.readRequest()
        guard connect.opcode == .connect else { return try peer.respond(0xC0) }
        if connect.headers.first(.target) != nil { return try peer.respondToConnect(0xC6) }
        let clientMax = connect.connect?.maxPacketLength ?? 255
        try peer.respondToConnect(maxPacketLength: min(clientMax, 0xFFFE))
        var declinedSession = false
        var current = ReceivedByPeer()
        var decided = false
        while true {
            let r = try peer.readRequest(timeout: 30)
            switch r.opcode {
            case .disconnect: try peer.respond(0xA0); return
            case .abort: try peer.respond(0xA0); current = ReceivedByPeer(); decided = false; continue
            case .put, .putFinal: break
            default: try peer.respond(0xD1); continue
            }
            if declinedSession { try peer.respond(0xC3); continue }
            for h in r.headers {
                switch h.id {
                case .name: current.name = h.text
                case .type: current.type = h.latin1Text
                case .length: current.length = h.uint32
                default: break
                }
            }
            let body = r.headers.filter { $0.id == .body || $0.id == .endOfBody }
            if !decided {
                if body.isEmpty && r.opcode == .put { try peer.respond(0x90); continue }
                current.firstPacketHadBody = !body.isEmpty
                guard let name = current.name, !name.isEmpty else { try peer.respond(0xC0); return }
                guard let length = current.length else { try peer.respond(0xD0); return }
                guard length > 0 else { try peer.respond(0xCB); current = ReceivedByPeer(); continue }
                switch user {
                case .accepts: decided = true
                case .declines(let after):
                    Thread.sleep(forTimeInterval: after)
                    try peer.respond(0xC3); declinedSession = true; continue
                case .neverAnswers(let androidTimeout):
                    Thread.sleep(forTimeInterval: androidTimeout)
                    try peer.respond(0xC3); declinedSession = true; continue
                }
            }
            for h in body { current.body += h.bytes ?? [] }
            current.lastOpcode = r.opcode
            if r.opcode == .putFinal {
                try peer.respond(Int(current.length ?? 0) == current.body.count ? 0xA0 : 0xC0)
                received?(current)
                current = ReceivedByPeer()
                decided = false
            } else {
                try peer.respond(0x90)
            }
        }
    }
}

/// KaiOS (gecko BluetoothOppManager): asks its user on the first complete
/// PUT packet, Body or not; a decline is 0xC1 Unauthorized, or 0x41 on a
/// non-final packet.
enum KaiOSPeer {
    static func declining(_ peer: ScriptedPeer) throws {
        _ = try peer.readRequest()
        try peer.respondToConnect(maxPacketLength: 0xFFFE)
        let put = try peer.readRequest()
        try peer.respond(put.opcode.isFinal ? 0xC1 : 0x41)
        _ = peer.answerNext()   // DISCONNECT
    }
}

/// A scratch directory removed when the test ends.
func makeScratchDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "obexpush-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

func randomBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// Short deadlines so hostile-peer tests finish in about a second each.
let fastTimeouts = ObjectPushClient.Timeouts(connect: 1.0, decision: 1.0, transfer: 0.5, goodbye: 0.5)

/// A value shared between a test and the threads it starts.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func update(_ body: (inout Value) -> Void) { lock.lock(); body(&value); lock.unlock() }
}
