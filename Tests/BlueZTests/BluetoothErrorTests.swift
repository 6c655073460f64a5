import Foundation
import XCTest
@testable import BlueZ
@testable import OBEXPush

/// The one-line errors a newcomer meets, and what this machine (a kernel
/// without Bluetooth) really answers.
final class BluetoothErrorTests: XCTestCase {
    func testErrnoMapsToTheCaseAUserUnderstands() {
        XCTAssertEqual(BlueZError.from(errno: EAFNOSUPPORT, operation: "x"), .noBluetoothInKernel)
        XCTAssertEqual(BlueZError.from(errno: EPERM, operation: "inquiry"), .permissionDenied(operation: "inquiry"))
        XCTAssertEqual(BlueZError.from(errno: EHOSTDOWN, operation: "connect"), .outOfRange)
        XCTAssertEqual(BlueZError.from(errno: ERFKILL, operation: "x", adapter: "hci0"), .rfkillBlocked("hci0"))
        XCTAssertEqual(BlueZError.from(errno: ENETDOWN, operation: "x", adapter: "hci1"), .adapterDown("hci1"))
        XCTAssertEqual(BlueZError.from(errno: ECONNRESET, operation: "x"), .linkLost)
        XCTAssertEqual(BlueZError.from(errno: EACCES, operation: "connect"), .pairingFailed)
        XCTAssertEqual(BlueZError.from(errno: EACCES, operation: "open hci0"), .permissionDenied(operation: "open hci0"))
    }

    func testEveryMessageIsOneLineWithAFix() {
        let all: [BlueZError] = [.noBluetoothInKernel, .noAdapter, .unknownAdapter("hci3", available: ["hci0"]),
                                 .adapterDown("hci0"), .rfkillBlocked("hci0"), .permissionDenied(operation: "inquiry"),
                                 .adapterBusy("hci0"), .outOfRange, .connectionRefused, .pairingFailed, .timedOut(operation: "SDP lookup"),
                                 .linkLost, .cannotReceive, .sdpServerUnavailable,
                                 .hciCommandFailed(operation: "inquiry", status: 0x12), .system(operation: "poll", errno: EIO)]
        for e in all {
            let line = e.description
            XCTAssertFalse(line.contains("\n"), line)
            XCTAssertTrue(line.hasPrefix("\(e.what): \(e.why). "), line)
            XCTAssertGreaterThan(e.fix.count, 10, line)
        }
        XCTAssertTrue(BlueZError.permissionDenied(operation: "inquiry").description.contains("setcap cap_net_raw,cap_net_admin+eip"))
        XCTAssertTrue(BlueZError.rfkillBlocked("hci0").description.contains("rfkill unblock bluetooth"))
        XCTAssertTrue(BlueZError.adapterDown("hci1").description.contains("btmgmt --index 1 power on"))
    }

    /// On a kernel without Bluetooth (this CI host) every entry point says so,
    /// with the fix; on a machine with Bluetooth this test has nothing to check.
    func testKernelWithoutBluetoothGivesTheRightMessage() throws {
        let probe = socket(AF_BLUETOOTH, Int32(SOCK_RAW.rawValue), 1)
        if probe >= 0 { close(probe); throw XCTSkip("this kernel has Bluetooth") }
        XCTAssertThrowsError(try Adapter.list()) { XCTAssertEqual($0 as? BlueZError, .noBluetoothInKernel) }
        XCTAssertThrowsError(try Adapter.select(nil)) {
            XCTAssertEqual(String(describing: $0),
                           "bluetooth: this kernel has no Bluetooth support (socket(AF_BLUETOOTH) is not supported). Use a kernel with Bluetooth (Raspberry Pi OS has it; try 'modprobe bluetooth'), or run the tests in the VM: vm/run.sh")
        }
        XCTAssertThrowsError(try RFCOMMTransport.connect(to: "00:AA:01:01:00:01", channel: 9, deadline: .after(seconds: 1))) {
            XCTAssertEqual($0 as? TransportError, .system(operation: "socket(AF_BLUETOOTH)", errno: EAFNOSUPPORT))
        }
        XCTAssertThrowsError(try RFCOMMListener()) {
            XCTAssertEqual($0 as? TransportError, .system(operation: "socket(AF_BLUETOOTH)", errno: EAFNOSUPPORT))
        }
    }

    func testRFCOMMConnectRejectsBadInputBeforeTouchingTheRadio() {
        XCTAssertThrowsError(try RFCOMMTransport.connect(to: "not-an-address", channel: 9, deadline: .after(seconds: 1))) {
            XCTAssertEqual($0 as? TransportError, .system(operation: "connect", errno: EINVAL))
        }
        XCTAssertThrowsError(try RFCOMMTransport.connect(to: "00:AA:01:01:00:01", channel: 31, deadline: .after(seconds: 1)))
        XCTAssertThrowsError(try RFCOMMTransport.connect(to: "00:AA:01:01:00:01", channel: 0, deadline: .after(seconds: 1)))
    }

    func testLinkDropIsClosedOtherErrorsKeepTheirErrno() {
        for e in [ECONNRESET, ETIMEDOUT, EHOSTDOWN, ENOTCONN, EPIPE] {
            XCTAssertEqual(SocketTransport.linkError(e, operation: "read"), .closed)
        }
        XCTAssertEqual(SocketTransport.linkError(EBADF, operation: "read"), .system(operation: "read", errno: EBADF))
    }
}
