import CBluetooth
import Foundation
import OBEXPush

/// Finds a device's OBEX Object Push RFCOMM channel over SDP. Android picks
/// the channel at run time (research §2.11), so it is looked up per phone,
/// never cached across sessions.
public enum ObjectPushChannelLookup {
    /// The channel (1…30). Throws `.cannotReceive` when the device answers SDP
    /// but has no Object Push record (iPhones, headsets), `.outOfRange` when
    /// it does not answer the page, `.timedOut` at the deadline.
    public static func channel(for device: BluetoothAddress, adapter: Adapter, deadline: Deadline) throws -> UInt8 {
        var src = adapter.address.raw
        var dst = device.raw
        var channel: UInt8 = 0
        let ms = max(1, Int32(deadline.remainingMilliseconds))
        let r = cbt_sdp_rfcomm_channel(&src, &dst, DiscoveredDevice.objectPushUUID, ms, &channel)
        switch r {
        case 0: return channel
        case 1: throw BlueZError.cannotReceive
        default:
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK { throw BlueZError.timedOut(operation: "SDP lookup") }
            throw BlueZError.from(errno: e, operation: "SDP lookup", adapter: adapter.name)
        }
    }
}

/// An "OBEX Object Push" record in the local SDP server, so phones can find
/// the Pi's own OPP server (`psacaster receive`). Removed when released.
///
/// BlueZ 5 accepts such records over its legacy SDP socket only when
/// bluetoothd runs with `--compat` (the modern way is D-Bus
/// ProfileManager1.RegisterProfile, which needs a D-Bus client we do not have).
public final class ObjectPushServiceRecord {
    private let session: UnsafeMutablePointer<sdp_session_t>
    public let channel: UInt8

    public init(channel: UInt8, name: String = "OBEX Object Push") throws {
        guard let s = cbt_sdp_register_object_push(channel, name) else {
            let e = errno
            if e == ENOENT || e == ECONNREFUSED { throw BlueZError.sdpServerUnavailable }
            throw BlueZError.from(errno: e, operation: "register the Object Push SDP record")
        }
        session = s
        self.channel = channel
    }

    deinit { cbt_sdp_close(session) }
}
