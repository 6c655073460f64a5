import OBEXPush

struct PushTimeouts: Equatable {
    var connect: Double
    /// Wait for the first answer to a packet carrying body data: the phone is
    /// asking its user (Android gives up after 50 s).
    var answer: Double
    var packet: Double
}

/// What became of one announcement offered in a session.
enum ItemResult: Equatable {
    case delivered
    /// The phone (or its user) said no: 0xC3, 0xC1/0x41.
    case declined
    /// Link lost, timed out, refused, protocol error. `reason` is for logs.
    case failed(reason: String)
    /// Not offered: the session ended before this item.
    case notSent

    var wasOffered: Bool { self != .notSent }
}

/// Runs one OBEX Object Push session over a link: offers the items in order
/// and reports each one's result (same count as `items`). After a decline it
/// stops offering (Android forbids every later PUT in the session anyway).
/// On cancel it ends the session politely (ABORT, DISCONNECT) and returns.
protocol Pusher: AnyObject {
    func offer(_ items: [OfferItem], over link: Transport, timeouts: PushTimeouts, cancel: Cancellation) -> [ItemResult]
}
