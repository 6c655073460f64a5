/// How one offered object ended. Exactly one per object; the raw response
/// code is kept whenever the peer sent one, for diagnostics and statistics.
public enum DeliveryOutcome: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0xA0: the phone stored the object.
    case delivered
    /// 0xC3 Forbidden (Android: the user declined, or did not answer in 50 s),
    /// 0xC1/0x41 Unauthorized (KaiOS's decline).
    case declined(code: UInt8)
    /// 0xCF, 0xC6, 0xC0, 0xCB: the phone refused what we sent. That is a bug
    /// on our side (wrong Type, a Target header, a bad Name, no Length).
    case refusedAsUnsupported(code: UInt8)
    /// 0xD3 Service Unavailable: the phone is busy (another transfer).
    case busy(code: UInt8)
    /// Any other final code (0xCD too large, 0xD0 internal error, …).
    case refused(code: UInt8)
    /// No answer before the deadline of this step.
    case timedOut(step: PushStep)
    /// The link dropped or the peer closed the connection.
    case linkLost(step: PushStep)
    /// The peer's bytes were not valid OBEX, or not a valid answer here.
    case protocolViolation(detail: String)
    /// `ObjectPushClient.cancel()` was called.
    case cancelled
    /// Not offered: an earlier failure in the same session ruled it out
    /// (Android declines every later PUT once the user declined one).
    case notAttempted(reason: String)
    /// Our side failed: the file could not be read, or changed while sent.
    case localFailure(detail: String)

    /// Classifies a final response code that is not success.
    public static func classify(_ code: OBEXResponseCode) -> DeliveryOutcome {
        switch code.meaning {
        case 0x20: return .delivered
        case 0x41, 0x43: return .declined(code: code.rawValue)
        case 0x4F, 0x46, 0x40, 0x4B: return .refusedAsUnsupported(code: code.rawValue)
        case 0x53: return .busy(code: code.rawValue)
        default: return .refused(code: code.rawValue)
        }
    }

    /// A stable word for logs, JSON and statistics.
    public var kind: String {
        switch self {
        case .delivered: return "delivered"
        case .declined: return "declined"
        case .refusedAsUnsupported: return "unsupported"
        case .busy: return "busy"
        case .refused: return "refused"
        case .timedOut: return "timed-out"
        case .linkLost: return "link-lost"
        case .protocolViolation: return "protocol-violation"
        case .cancelled: return "cancelled"
        case .notAttempted: return "not-attempted"
        case .localFailure: return "local-failure"
        }
    }

    /// The response code the peer sent, when the outcome came from one.
    public var responseCode: UInt8? {
        switch self {
        case .delivered: return 0xA0
        case .declined(let c), .refusedAsUnsupported(let c), .busy(let c), .refused(let c): return c
        default: return nil
        }
    }

    public var isDelivered: Bool { self == .delivered }

    /// Whether the session may carry another PUT after this outcome.
    var leavesSessionUsable: Bool {
        switch self {
        case .delivered, .refusedAsUnsupported, .busy, .refused, .localFailure: return true
        default: return false
        }
    }

    public var description: String {
        func code(_ c: UInt8) -> String { OBEXResponseCode(rawValue: c).description }
        switch self {
        case .delivered: return "delivered"
        case .declined(let c): return "declined by the phone (\(code(c)))"
        case .refusedAsUnsupported(let c): return "refused as unsupported (\(code(c))): a bug on our side, please report it"
        case .busy(let c): return "the phone is busy (\(code(c)))"
        case .refused(let c): return "refused (\(code(c)))"
        case .timedOut(let step): return "timed out \(step.waitingFor)"
        case .linkLost(let step): return "link lost \(step.during)"
        case .protocolViolation(let d): return "protocol violation: \(d)"
        case .cancelled: return "cancelled"
        case .notAttempted(let r): return "not attempted: \(r)"
        case .localFailure(let d): return "local failure: \(d)"
        }
    }
}

/// The step of a push where a deadline passed or the link dropped.
public enum PushStep: String, Sendable, Equatable {
    case connect            // transport connect and OBEX CONNECT
    case decision           // first response to a packet carrying Body: the user is deciding
    case transfer           // any later packet
    case disconnect

    var waitingFor: String {
        switch self {
        case .connect: return "waiting for the connection"
        case .decision: return "waiting for the phone's user to accept"
        case .transfer: return "waiting for the phone during the transfer"
        case .disconnect: return "waiting for the disconnect answer"
        }
    }
    var during: String {
        switch self {
        case .connect: return "while connecting"
        case .decision: return "while the phone's user was deciding"
        case .transfer: return "during the transfer"
        case .disconnect: return "while disconnecting"
        }
    }
}
