import OBEXPush

/// The real Pusher: one `ObjectPushClient` session per phone.
final class OBEXPusher: Pusher {
    /// Called for an outcome that means a bug on our side (0xCF, 0xC6, ...).
    var reportOurBug: ((String) -> Void)?

    func offer(_ items: [OfferItem], over link: Transport, timeouts: PushTimeouts, cancel: Cancellation) -> [ItemResult] {
        let client = ObjectPushClient(transport: link, timeouts: .init(connect: timeouts.connect, decision: timeouts.answer,
                                                                       transfer: timeouts.packet, goodbye: 1))
        // ObjectPushClient.cancel() sends ABORT and DISCONNECT itself.
        cancel.onCancel { client.cancel() }
        let objects = items.map { PushObject(name: $0.name, bytes: $0.data, type: $0.mimeType) }
        let outcomes = client.deliver(objects)
        var results: [ItemResult] = []
        var sawCancel = false
        for o in outcomes {
            switch o {
            case .delivered: results.append(.delivered)
            case .declined: results.append(.declined)
            case .notAttempted: results.append(.notSent)
            case .cancelled:
                results.append(sawCancel ? .notSent : .failed(reason: "stopped"))
                sawCancel = true
            case .refusedAsUnsupported:
                reportOurBug?("\(o)")
                results.append(.failed(reason: o.description))
            default: results.append(.failed(reason: o.description))
            }
        }
        while results.count < items.count { results.append(.notSent) }
        return results
    }
}
