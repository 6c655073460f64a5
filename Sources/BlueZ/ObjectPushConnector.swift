import Foundation
import OBEXPush

/// Opens the OBEX link to one phone: SDP lookup of its Object Push channel
/// (unless known), then RFCOMM from the chosen adapter, both within one
/// deadline. What `push --to` and the broadcast service use.
public enum ObjectPushConnector {
    public struct Link {
        public let transport: SocketTransport
        public let channel: UInt8
        /// Seconds spent in SDP (0 when the channel was given) and in the RFCOMM connect.
        public let sdpSeconds: Double
        public let connectSeconds: Double
        /// RFCOMM connects tried (2 when the first was refused and retried).
        public let connectAttempts: Int
    }

    /// Throws `BlueZError` (`.cannotReceive`, `.outOfRange`, `.pairingFailed`,
    /// `.timedOut`, …) or `TransportError.timedOut` from the RFCOMM connect.
    public static func connect(to device: BluetoothAddress, adapter: Adapter, channel: UInt8? = nil,
                               deadline: Deadline) throws -> Link {
        let t0 = Deadline.now()
        let ch = try channel ?? ObjectPushChannelLookup.channel(for: device, adapter: adapter, deadline: deadline)
        let t1 = Deadline.now()
        var attempts = 0
        var transport: SocketTransport?
        while transport == nil {
            attempts += 1
            do {
                transport = try RFCOMMTransport.connect(to: device.description, channel: ch, from: adapter.address.description,
                                                        deadline: deadline)
            } catch TransportError.system(let op, let e) {
                let error = BlueZError.from(errno: e, operation: op, adapter: adapter.name)
                // Right after a fresh Just Works pairing, a Linux peer may
                // refuse the channel ("security block") because it has not yet
                // read the new link's key size; the encrypted link stays up a
                // few seconds, so one quick retry succeeds (seen in the VM).
                guard attempts == 1, error == .connectionRefused || error == .pairingFailed,
                      deadline.remainingMilliseconds > 1500 else { throw error }
                usleep(300_000)
            }
        }
        let t2 = Deadline.now()
        func seconds(_ a: Deadline, _ b: Deadline) -> Double { Double(b.uptimeNanoseconds - a.uptimeNanoseconds) / 1e9 }
        return Link(transport: transport!, channel: ch, sdpSeconds: channel == nil ? seconds(t0, t1) : 0,
                    connectSeconds: seconds(t1, t2), connectAttempts: attempts)
    }
}
