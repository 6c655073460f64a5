/// What a peer offers, known before any of its body is stored.
public struct IncomingOffer: Sendable, Equatable {
    /// The Name header as sent (may be nil, empty or hostile).
    public let name: String?
    /// The Type header (Latin-1, NUL stripped).
    public let type: String?
    /// The Length header, when sent.
    public let length: UInt32?
    /// `name` made safe for a file system (see `FileNameSanitizer`).
    public let fileName: String
}

public enum OfferDecision: Sendable, Equatable {
    case accept
    /// Accept, storing under this name (sanitised again by the server).
    case acceptAs(fileName: String)
    /// Answer 0xC3 Forbidden, as Android does when its user declines.
    case decline
    /// Answer with another final code.
    case refuse(OBEXResponseCode)
}

/// An object stored completely (fsynced, under its final name).
public struct ReceivedObject: Sendable, Equatable {
    public let offer: IncomingOffer
    /// The name it was stored under (may differ from `offer.fileName` when
    /// that existed already or the file system refused it).
    public let fileName: String
    public let path: String
    public let byteCount: Int
}

/// Why an offered object was not stored.
public enum ReceiveFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case declined                       // the delegate said no
    case refused(code: UInt8)           // the delegate refused with this code
    case tooLarge(limit: Int)           // above the server's size limit
    case lengthRequired
    case lengthMismatch(declared: Int, received: Int)
    case aborted                        // the peer sent ABORT or DISCONNECT
    case connectionLost
    case timedOut
    case malformed(String)
    case storage(String)
    case stopped                        // ObjectPushServer.stop()

    public var description: String {
        switch self {
        case .declined: return "declined"
        case .refused(let c): return "refused with \(OBEXResponseCode(rawValue: c))"
        case .tooLarge(let limit): return "larger than the \(limit)-byte limit"
        case .lengthRequired: return "no Length header"
        case .lengthMismatch(let d, let r): return "announced \(d) bytes but sent \(r)"
        case .aborted: return "aborted by the sender"
        case .connectionLost: return "connection lost mid-transfer"
        case .timedOut: return "the sender went silent"
        case .malformed(let d): return "malformed request: \(d)"
        case .storage(let d): return d
        case .stopped: return "server stopped"
        }
    }
}

/// Decides what an `ObjectPushServer` accepts. Methods are called on the
/// thread running `serve(_:)`; when several sessions are served at once,
/// on several threads, so a shared delegate must be thread-safe. Every
/// method has a default (accept all, ignore events).
public protocol ObjectPushServerDelegate: AnyObject {
    /// A CONNECT arrived. Return false to refuse the whole connection with
    /// 0xC3 Forbidden (the session then ends).
    func shouldAcceptConnection() -> Bool
    /// An object is offered; nothing of its body has been stored yet.
    func decide(on offer: IncomingOffer) -> OfferDecision
    func didReceive(_ object: ReceivedObject)
    /// An offered object was not stored. `offer` is nil when the request was
    /// rejected before an offer could be formed.
    func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure)
}

extension ObjectPushServerDelegate {
    public func shouldAcceptConnection() -> Bool { true }
    public func decide(on offer: IncomingOffer) -> OfferDecision { .accept }
    public func didReceive(_ object: ReceivedObject) {}
    public func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure) {}
}
