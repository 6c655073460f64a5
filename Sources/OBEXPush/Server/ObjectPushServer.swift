import Foundation

/// Receives objects over OBEX Object Push on any connected `Transport`
/// (TCP, RFCOMM, a socketpair): answers CONNECT, takes PUTs, lets a
/// delegate accept or decline each object before any of its body is
/// stored, enforces a size limit, sanitises names and stores atomically.
/// Malformed or hostile requests get the proper error code or end the
/// session; nothing a peer sends can crash it or make it buffer more than
/// one packet. `serve` may run on several threads at once, one per link.
public final class ObjectPushServer {
    public struct Configuration: Sendable {
        /// Where received objects are stored (must exist).
        public var directory: String
        /// Objects larger than this are refused with 0xCD.
        public var maxObjectSize: Int
        /// The largest packet we accept, announced in our CONNECT answer.
        public var maxPacketLength: Int
        /// How long to wait for the next packet before giving up on a peer.
        public var idleTimeout: Double
        /// Refuse objects without a Length header (0xCB), as Android does.
        public var requireLength: Bool

        public init(directory: String, maxObjectSize: Int = 256 << 20, maxPacketLength: Int = OBEXLimits.preferredPacketLength,
                    idleTimeout: Double = 30, requireLength: Bool = false) {
            self.directory = directory
            self.maxObjectSize = maxObjectSize
            self.maxPacketLength = min(max(maxPacketLength, OBEXLimits.minimumPacketLength), OBEXLimits.maximumPacketLength)
            self.idleTimeout = idleTimeout
            self.requireLength = requireLength
        }
    }

    /// How a session ended, and what it brought.
    public struct SessionSummary: Sendable {
        public enum End: Sendable, Equatable {
            case disconnected           // the peer sent DISCONNECT
            case peerClosed             // the peer hung up without DISCONNECT
            case idleTimeout
            case connectionRefused      // the delegate refused CONNECT
            case protocolError(String)  // framing broken: cannot continue
            case stopped
        }
        public var received: [ReceivedObject] = []
        public var failed: [ReceiveFailure] = []
        public var end: End = .peerClosed
    }

    public let configuration: Configuration
    /// Held strongly: a refusing delegate that vanished would silently turn
    /// the server into accept-all.
    public var delegate: ObjectPushServerDelegate?
    private let lock = NSLock()
    private var stopRequested = false

    public init(configuration: Configuration, delegate: ObjectPushServerDelegate? = nil) {
        self.configuration = configuration
        self.delegate = delegate
    }

    /// Ends every running session within about a quarter second.
    public func stop() { lock.lock(); stopRequested = true; lock.unlock() }
    public var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopRequested }

    /// Runs one session on `transport` until the peer disconnects, goes
    /// silent, breaks the protocol, or `stop()` is called; then closes it.
    @discardableResult
    public func serve(_ transport: Transport) -> SessionSummary {
        let session = ServerSession(server: self, channel: PacketChannel(transport: transport))
        let summary = session.run()
        transport.close()
        return summary
    }

    fileprivate func decide(_ offer: IncomingOffer) -> OfferDecision { delegate?.decide(on: offer) ?? .accept }
}

/// The state of one link: at most one PUT in progress.
private final class ServerSession {
    let server: ObjectPushServer
    let config: ObjectPushServer.Configuration
    let channel: PacketChannel
    var summary = ObjectPushServer.SessionSummary()
    var put: IncomingPut?

    /// A PUT in progress, from its first packet to its final answer.
    final class IncomingPut {
        var name: String?
        var type: String?
        var length: UInt32?
        var offer: IncomingOffer?
        var writer: AtomicFileWriter?
        var headerOnlyPackets = 0
        /// The name to store under, settled when the delegate accepts.
        var fileName = "received"
        /// Set once we answered with an error: later packets of the same
        /// PUT get the same answer and are not stored.
        var rejection: OBEXResponseCode?
    }

    /// Header-only PUT packets tolerated before the object must start.
    static let maxHeaderOnlyPackets = 32

    init(server: ObjectPushServer, channel: PacketChannel) {
        self.server = server
        self.config = server.configuration
        self.channel = channel
    }

    func run() -> ObjectPushServer.SessionSummary {
        while true {
            let packet: [UInt8]
            do {
                packet = try channel.readPacket(maximum: config.maxPacketLength,
                                                deadline: .after(seconds: config.idleTimeout),
                                                shouldStop: { self.server.isStopped })
            } catch let failure as PacketChannel.Failure {
                switch failure {
                case .timedOut: abandon(.timedOut); summary.end = .idleTimeout
                case .closed, .system: abandon(.connectionLost); summary.end = .peerClosed
                case .cancelled: abandon(.stopped); summary.end = .stopped
                case .malformed(let e):
                    // The stream cannot be re-framed: answer once and end.
                    abandon(.malformed(e.description))
                    if case .packetTooLarge = e { respond(.requestTooLarge) } else { respond(.badRequest) }
                    summary.end = .protocolError(e.description)
                }
                return summary
            } catch {
                summary.end = .protocolError("\(error)")
                return summary
            }
            let request: OBEXRequest
            do {
                request = try OBEXRequest.decode(packet[...], maxPacketLength: config.maxPacketLength)
            } catch {
                // Framing is intact, so the session can go on after 0xC0.
                if put != nil { abandon(.malformed("\(error)")) } else { fail(nil, .malformed("\(error)")) }
                guard respond(.badRequest) else { return summary }
                continue
            }
            if !handle(request) { return summary }
        }
    }

    /// Returns false when the session is over.
    private func handle(_ request: OBEXRequest) -> Bool {
        switch request.opcode {
        case .connect:
            let fields = OBEXConnectFields(maxPacketLength: UInt16(config.maxPacketLength))
            if request.headers.first(.target) != nil {
                // Object Push has no Target; Android answers the same.
                return respond(OBEXResponse(code: .notAcceptable, connect: fields))
            }
            if let d = server.delegate, !d.shouldAcceptConnection() {
                _ = respond(OBEXResponse(code: .forbidden, connect: fields))
                summary.end = .connectionRefused
                return false
            }
            return respond(OBEXResponse(code: .success, connect: fields))
        case .disconnect:
            abandon(.aborted)
            _ = respond(.success)
            summary.end = .disconnected
            return false
        case .abort:
            abandon(.aborted)
            return respond(.success)
        case .put, .putFinal:
            return handlePut(request)
        default:
            return respond(.notImplemented)
        }
    }

    private func handlePut(_ request: OBEXRequest) -> Bool {
        let final = request.opcode.isFinal
        if let p = put, let code = p.rejection {
            if request.headers.first(.name) == nil {
                if final { put = nil }
                return respond(code)
            }
            put = nil   // a new object starts
        }
        let p = put ?? IncomingPut()
        put = p
        var chunks: [[UInt8]] = []
        for h in request.headers {
            switch h.id {
            case .name: p.name = h.text
            case .type: p.type = h.latin1Text
            case .length: p.length = h.uint32
            case .body, .endOfBody: chunks.append(h.bytes ?? [])
            default: break
            }
        }
        if p.offer == nil {
            if chunks.isEmpty && !final {
                p.headerOnlyPackets += 1
                if p.headerOnlyPackets > Self.maxHeaderOnlyPackets {
                    return reject(.badRequest, .malformed("too many PUT packets without data"), final: final)
                }
                return respond(.continue)
            }
            if chunks.isEmpty && p.length == nil {
                // A final PUT with no body is a DELETE in OBEX: not offered here.
                return reject(.notImplemented, .malformed("PUT without body (delete) is not supported"), final: final)
            }
            if !decide(p) { return reject(p.rejection!, lastFailure, final: final) }
        }
        for chunk in chunks where !chunk.isEmpty {
            let total = (p.writer?.byteCount ?? 0) + chunk.count
            if total > config.maxObjectSize {
                return reject(.entityTooLarge, .tooLarge(limit: config.maxObjectSize), final: final)
            }
            if let declared = p.length, total > Int(declared) {
                return reject(.badRequest, .lengthMismatch(declared: Int(declared), received: total), final: final)
            }
            do { try p.writer?.append(chunk) } catch {
                return reject(.internalServerError, .storage("\(error)"), final: final)
            }
        }
        guard final else { return respond(.continue) }
        let received = p.writer?.byteCount ?? 0
        if let declared = p.length, Int(declared) != received {
            return reject(.badRequest, .lengthMismatch(declared: Int(declared), received: received), final: true)
        }
        guard let writer = p.writer, let offer = p.offer else { return respond(.internalServerError) }
        do {
            let name = try writer.commit(as: p.fileName)
            let object = ReceivedObject(offer: offer, fileName: name, path: config.directory + "/" + name, byteCount: received)
            put = nil
            summary.received.append(object)
            server.delegate?.didReceive(object)
            return respond(.success)
        } catch {
            return reject(.internalServerError, .storage("\(error)"), final: true)
        }
    }

    private var lastFailure = ReceiveFailure.declined

    /// Forms the offer and asks the delegate; on yes, opens the file.
    /// Returns false (with `rejection` set) on no.
    private func decide(_ p: IncomingPut) -> Bool {
        let ext = p.type.flatMap(Self.extensionForType)
        let offer = IncomingOffer(name: p.name, type: p.type, length: p.length,
                                  fileName: FileNameSanitizer.sanitize(p.name ?? "", fallbackExtension: ext))
        p.offer = offer
        func no(_ code: OBEXResponseCode, _ why: ReceiveFailure) -> Bool {
            p.rejection = code; lastFailure = why; return false
        }
        if p.length == nil && config.requireLength { return no(.lengthRequired, .lengthRequired) }
        if let n = p.length, Int(n) > config.maxObjectSize { return no(.entityTooLarge, .tooLarge(limit: config.maxObjectSize)) }
        switch server.decide(offer) {
        case .accept: p.fileName = offer.fileName
        case .acceptAs(let name): p.fileName = FileNameSanitizer.sanitize(name, fallbackExtension: ext)
        case .decline: return no(.forbidden, .declined)
        case .refuse(let code): return no(code, .refused(code: code.rawValue))
        }
        do { p.writer = try AtomicFileWriter(directory: config.directory) } catch {
            return no(.internalServerError, .storage("\(error)"))
        }
        return true
    }

    static func extensionForType(_ type: String) -> String? {
        switch type.lowercased() {
        case "audio/ogg", "audio/opus": return "opus"
        case "audio/mpeg": return "mp3"
        case "text/plain": return "txt"
        case "image/jpeg": return "jpg"
        case "image/png": return "png"
        case "text/x-vcard", "text/vcard": return "vcf"
        default: return nil
        }
    }

    /// Answers `code`, drops the object, and tells the delegate once.
    private func reject(_ code: OBEXResponseCode, _ reason: ReceiveFailure, final: Bool) -> Bool {
        if let p = put {
            p.writer?.discard()
            p.writer = nil
            fail(p.offer, reason)
            p.rejection = code
            if final { put = nil }
        }
        return respond(code)
    }

    /// The peer went away or aborted: drop the object in progress.
    private func abandon(_ reason: ReceiveFailure) {
        guard let p = put else { return }
        put = nil
        p.writer?.discard()
        if p.rejection == nil { fail(p.offer, reason) }
    }

    private func fail(_ offer: IncomingOffer?, _ reason: ReceiveFailure) {
        summary.failed.append(reason)
        server.delegate?.didNotReceive(offer, because: reason)
    }

    @discardableResult
    private func respond(_ code: OBEXResponseCode) -> Bool { respond(OBEXResponse(code: code)) }

    @discardableResult
    private func respond(_ response: OBEXResponse) -> Bool {
        guard let bytes = try? response.encoded() else { return false }
        do {
            try channel.write(bytes, deadline: .after(seconds: config.idleTimeout))
            return true
        } catch {
            // The session ends; `summary.end` keeps its default, peerClosed.
            abandon(.connectionLost)
            return false
        }
    }
}

