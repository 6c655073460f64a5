import Foundation

/// Sends objects to one phone over OBEX Object Push: CONNECT (no Target,
/// version 0x10, max packet 0xFC00, honouring a smaller one), one PUT per
/// object (Name, Type, Length, the first Body bytes in the first packet,
/// End-of-Body in the final one), ABORT when a transfer must end early,
/// DISCONNECT. Every step has its own deadline, and `cancel()` from any
/// thread ends a session within about a second.
///
/// One session per instance, driven by one thread; `cancel()` is the only
/// method other threads may call. After any outcome that ends the session
/// (a decline, a timeout, a lost link, a cancellation) the transport is
/// closed; `deinit` closes it in every case.
public final class ObjectPushClient {
    public struct Timeouts: Sendable {
        /// Answer to CONNECT (the phone may show a pairing or trust prompt).
        public var connect: Double
        /// First answer to a packet carrying Body: the phone's user is
        /// deciding. Android gives up at 50 s and answers 0xC3 itself.
        public var decision: Double
        /// Any later packet, written or answered.
        public var transfer: Double
        /// ABORT and DISCONNECT answers when ending a session, together.
        public var goodbye: Double

        public init(connect: Double = 20, decision: Double = 60, transfer: Double = 15, goodbye: Double = 1) {
            self.connect = connect
            self.decision = decision
            self.transfer = transfer
            self.goodbye = goodbye
        }
    }

    private enum Phase { case idle, connected, ended }

    public let timeouts: Timeouts
    /// The largest packet we receive, announced in CONNECT.
    public let offeredMaxPacketLength: Int
    /// The largest packet the peer receives (after CONNECT), at most ours.
    public private(set) var peerMaxPacketLength: Int = OBEXLimits.minimumPacketLength
    /// Connection ID the peer gave in its CONNECT answer, echoed in requests.
    public private(set) var connectionID: UInt32?

    private let channel: PacketChannel
    private var phase = Phase.idle
    private let lock = NSLock()
    private var cancelRequested = false
    private var writing = false
    private var writeSerial = 0

    public init(transport: Transport, timeouts: Timeouts = Timeouts(), maxPacketLength: Int = OBEXLimits.preferredPacketLength) {
        self.channel = PacketChannel(transport: transport)
        self.timeouts = timeouts
        self.offeredMaxPacketLength = min(max(maxPacketLength, OBEXLimits.minimumPacketLength), OBEXLimits.maximumPacketLength)
    }

    deinit { channel.transport.close() }

    public var isConnected: Bool { phase == .connected }

    // MARK: Cancellation (any thread)

    /// Ends the session soon: a wait in progress notices within ~0.25 s,
    /// then ABORT and DISCONNECT are sent if the link allows (bounded by
    /// `timeouts.goodbye`) and the current and later objects end as
    /// `.cancelled`. A packet being written gets `writeGrace` to finish
    /// (so the session can still end politely); a write still stuck after
    /// that (a peer that stopped reading) is broken off by interrupting the
    /// transport.
    public func cancel() {
        lock.lock()
        cancelRequested = true
        let stuckWrite = writing ? writeSerial : nil
        lock.unlock()
        guard let serial = stuckWrite else { return }
        let transport = channel.transport
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.writeGrace) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            let stillStuck = self.writing && self.writeSerial == serial
            self.lock.unlock()
            if stillStuck { transport.interrupt() }
        }
    }

    /// How long a packet write in progress may take after `cancel()`.
    static let writeGrace = 0.5

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelRequested }

    // MARK: Session

    /// Sends CONNECT. Throws the `DeliveryOutcome` that ends the session
    /// when the phone refuses, does not answer, or the link fails.
    public func connect() throws {
        guard phase == .idle else { return }
        let request = OBEXRequest.connect(maxPacketLength: UInt16(offeredMaxPacketLength))
        let response: OBEXResponse
        do {
            response = try exchange(request, writeDeadline: .after(seconds: timeouts.connect),
                                    answerDeadline: .after(seconds: timeouts.connect), step: .connect)
        } catch let outcome as DeliveryOutcome {
            end(outcome)
            throw outcome
        }
        guard response.code.isSuccess else {
            let outcome = DeliveryOutcome.classify(response.code)
            end(outcome)
            throw outcome
        }
        // The codec guarantees CONNECT fields on a success answer, ≥ 255.
        let peerMax = Int(response.connect?.maxPacketLength ?? UInt16(OBEXLimits.minimumPacketLength))
        peerMaxPacketLength = min(peerMax, OBEXLimits.preferredPacketLength)
        connectionID = response.headers.first(.connectionID)?.uint32
        phase = .connected
    }

    /// Offers one object and returns how it ended. Connects first if needed.
    public func push(_ object: PushObject) -> DeliveryOutcome {
        if phase == .idle {
            do { try connect() } catch let outcome as DeliveryOutcome { return outcome } catch { return .localFailure(detail: "\(error)") }
        }
        guard phase == .connected else { return .notAttempted(reason: "the session had already ended") }
        if isCancelled { end(.cancelled); return .cancelled }
        let outcome: DeliveryOutcome
        do {
            outcome = try put(object)
        } catch let failure as DeliveryOutcome {
            outcome = failure
        } catch {
            outcome = .localFailure(detail: "\(error)")
        }
        if !outcome.leavesSessionUsable { end(outcome) }
        return outcome
    }

    /// Connects, offers each object in turn and disconnects. After a decline
    /// (Android then declines the rest itself without asking), a cancellation
    /// or a broken link, the remaining objects are `.notAttempted` (or
    /// `.cancelled`) rather than offered.
    /// `report` is called as each object's outcome is known, with its index.
    public func deliver(_ objects: [PushObject], report: ((Int, DeliveryOutcome) -> Void)? = nil) -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        func record(_ outcome: DeliveryOutcome) {
            report?(outcomes.count, outcome)
            outcomes.append(outcome)
        }
        do {
            try connect()
        } catch let outcome as DeliveryOutcome {
            objects.forEach { _ in record(outcome) }
            return outcomes
        } catch {
            objects.forEach { _ in record(.localFailure(detail: "\(error)")) }
            return outcomes
        }
        var stopReason: String?
        for object in objects {
            if isCancelled { record(.cancelled); continue }
            if let reason = stopReason { record(.notAttempted(reason: reason)); continue }
            let outcome = push(object)
            record(outcome)
            switch outcome {
            case .declined: stopReason = "the phone declined an earlier object in this session"
            case .delivered, .refusedAsUnsupported, .refused, .localFailure: break
            default: if phase != .connected { stopReason = "the session ended: \(outcome)" }
            }
        }
        disconnect()
        return outcomes
    }

    /// Sends DISCONNECT (waiting at most `timeouts.goodbye`) and closes the
    /// transport. Safe to call at any time, more than once.
    public func disconnect() {
        if phase == .connected {
            let deadline = Deadline.after(seconds: timeouts.goodbye)
            _ = try? exchange(OBEXRequest(opcode: .disconnect, headers: connectionIDHeader()),
                              writeDeadline: deadline, answerDeadline: deadline, step: .disconnect, ignoreCancel: true)
        }
        phase = .ended
        channel.transport.close()
    }

    // MARK: PUT

    private func connectionIDHeader() -> [OBEXHeader] { connectionID.map { [.connectionID($0)] } ?? [] }

    private func put(_ object: PushObject) throws -> DeliveryOutcome {
        let body = try BodyReader(object)
        var pending = connectionIDHeader()
        pending.append(.name(object.name))
        if let type = object.type { pending.append(.type(type)) }
        pending.append(.length(object.length))
        var bodySent = false
        var anySent = false
        while true {
            // As many headers as fit (Connection ID stays first); a long name
            // on a small-packet phone goes in packets of its own first.
            var headers: [OBEXHeader] = []
            var size = 3
            while let h = pending.first, size + h.encodedLength <= peerMaxPacketLength {
                headers.append(h)
                size += h.encodedLength
                pending.removeFirst()
            }
            if headers.isEmpty && !pending.isEmpty {
                if anySent { abortTransfer() }
                return .localFailure(detail: "a \(pending[0].id) header of \(pending[0].encodedLength) bytes does not fit the phone's \(peerMaxPacketLength)-byte packets")
            }
            // Then as much body as fits (the Body header costs 3 bytes).
            let room = peerMaxPacketLength - size - 3
            var packetCarriesBody = false
            if pending.isEmpty && (room > 0 || (room == 0 && body.remaining == 0)) {
                let chunk: [UInt8]
                do { chunk = try body.next(max(0, room)) } catch let failure as DeliveryOutcome {
                    if anySent { abortTransfer() }
                    throw failure
                }
                let last = body.remaining == 0
                headers.append(last ? .endOfBody(chunk) : .body(chunk))
                packetCarriesBody = true
            }
            let final = packetCarriesBody && body.remaining == 0
            let request = OBEXRequest(opcode: final ? .putFinal : .put, headers: headers)
            // The first packet with Body is when a phone asks its user.
            let awaitsDecision = packetCarriesBody && !bodySent
            let step: PushStep = awaitsDecision ? .decision : .transfer
            let answerTimeout = awaitsDecision ? timeouts.decision : timeouts.transfer
            let response: OBEXResponse
            do {
                response = try exchange(request, writeDeadline: .after(seconds: timeouts.transfer),
                                        answerDeadline: .after(seconds: answerTimeout), step: step)
            } catch let outcome as DeliveryOutcome {
                switch outcome {
                case .timedOut, .cancelled: abortTransfer()
                default: break
                }
                return outcome
            }
            if packetCarriesBody { bodySent = true }
            anySent = true
            if response.code.isContinue {
                if final { return .protocolViolation(detail: "the peer answered Continue to the final PUT") }
                continue
            }
            if response.code.isSuccess {
                if final { return .delivered }
                return .protocolViolation(detail: "the peer answered OK before the final PUT")
            }
            return DeliveryOutcome.classify(response.code)
        }
    }

    /// Sends ABORT and awaits its answer within the goodbye budget; if that
    /// fails, the session cannot continue.
    private func abortTransfer() {
        let deadline = Deadline.after(seconds: timeouts.goodbye / 2)
        do {
            _ = try exchange(OBEXRequest(opcode: .abort, headers: connectionIDHeader()),
                             writeDeadline: deadline, answerDeadline: deadline, step: .transfer, ignoreCancel: true)
        } catch {
            phase = .ended
        }
    }

    /// Ends the session after a failure: ABORT was already tried where it
    /// made sense; DISCONNECT when the link still works, then close.
    private func end(_ outcome: DeliveryOutcome) {
        switch outcome {
        case .cancelled, .timedOut, .declined, .refusedAsUnsupported, .busy, .refused, .localFailure:
            if phase == .connected { disconnect() }
        default:
            break
        }
        phase = .ended
        channel.transport.close()
    }

    // MARK: One request, one answer

    private func exchange(_ request: OBEXRequest, writeDeadline: Deadline, answerDeadline: Deadline,
                          step: PushStep, ignoreCancel: Bool = false) throws -> OBEXResponse {
        let bytes: [UInt8]
        do { bytes = try request.encoded() } catch {
            throw DeliveryOutcome.localFailure(detail: "cannot encode \(request.opcode): \(error)")
        }
        lock.lock()
        if !ignoreCancel && cancelRequested { lock.unlock(); throw DeliveryOutcome.cancelled }
        writing = true
        writeSerial &+= 1
        lock.unlock()
        do {
            defer { lock.lock(); writing = false; lock.unlock() }
            try channel.write(bytes, deadline: writeDeadline)
        } catch let failure as PacketChannel.Failure {
            throw outcome(for: failure, step: step, ignoreCancel: ignoreCancel)
        }
        let packet: [UInt8]
        do {
            packet = try channel.readPacket(maximum: offeredMaxPacketLength, deadline: answerDeadline,
                                            shouldStop: { !ignoreCancel && self.isCancelled })
        } catch let failure as PacketChannel.Failure {
            throw outcome(for: failure, step: step, ignoreCancel: ignoreCancel)
        }
        do {
            return try OBEXResponse.decode(packet[...], answering: request.opcode, maxPacketLength: offeredMaxPacketLength)
        } catch {
            // A refusal whose extra bytes do not parse still says "refused".
            let code = OBEXResponseCode(rawValue: packet[0])
            if !code.isSuccess && !code.isContinue, code.meaning >= 0x40 {
                return OBEXResponse(code: code)
            }
            throw DeliveryOutcome.protocolViolation(detail: "bad answer to \(request.opcode): \(error)")
        }
    }

    private func outcome(for failure: PacketChannel.Failure, step: PushStep, ignoreCancel: Bool) -> DeliveryOutcome {
        if !ignoreCancel && isCancelled { return .cancelled }
        switch failure {
        case .timedOut: return .timedOut(step: step)
        case .closed: return .linkLost(step: step)
        case .cancelled: return .cancelled
        case .malformed(let e): return .protocolViolation(detail: e.description)
        // Any other socket error (EHOSTUNREACH, ETIMEDOUT from the
        // controller…) means the same to the caller: the link is gone.
        case .system: return .linkLost(step: step)
        }
    }
}
