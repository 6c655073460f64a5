import XCTest
@testable import PSACaster

final class ServiceMemoryTests: XCTestCase {
    let clock = ManualClock()
    let phone = DeviceAddress(bytes: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
    let other = DeviceAddress(bytes: [0x11, 0x22, 0x33, 0x44, 0x55, 0x67])

    func memory(_ tweak: (inout DeliveryRules) -> Void = { _ in }) -> DeviceMemory {
        var r = DeliveryRules()
        tweak(&r)
        return DeviceMemory(rules: r, clock: clock)
    }

    func testTokensAreKeyedHashesNotAddresses() {
        let m1 = memory(), m2 = memory()
        XCTAssertEqual(m1.token(for: phone), m1.token(for: phone))
        XCTAssertNotEqual(m1.token(for: phone), m1.token(for: other))
        XCTAssertNotEqual(m1.token(for: phone), m2.token(for: phone), "a random key per run")
        let dump = String(reflecting: m1.token(for: phone))
        PrivacyAudit.assertNoAddress(phone, in: dump, where: "token")
        XCTAssertEqual("\(phone)", "<phone>", "an address never prints itself")
    }

    func testDeliveredIsNotOfferedAgainWithinTheCampaignWindow() {
        let m = memory { $0.campaignWindowSeconds = 3600 }
        let t = m.token(for: phone)
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .offer(skipping: []))
        m.record(.delivered, for: t, offered: ["a", "b"])
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .skip(.delivered))
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b", "c"]), .offer(skipping: ["a", "b"]), "a new announcement still goes out")
        clock.advance(3599)
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .skip(.delivered))
        clock.advance(2)
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .offer(skipping: []), "window over")
    }

    func testDeclinedIsRememberedUntilRotationByDefault() {
        let m = memory { $0.keyRotationSeconds = 86400 }
        let t = m.token(for: phone)
        m.record(.declined, for: t, offered: ["a"])
        clock.advance(86000)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.declined))
        XCTAssertFalse(m.rotateIfDue())
        clock.advance(400)
        XCTAssertTrue(m.rotateIfDue())
        XCTAssertEqual(m.count, 0, "rotation forgets everyone")
        let t2 = m.token(for: phone)
        XCTAssertNotEqual(t, t2, "new key, new token")
        XCTAssertEqual(m.decision(for: t2, campaign: ["a"]), .offer(skipping: []))
    }

    func testDeclinedCanBeForgottenByRule() {
        let m = memory { $0.declinedForgetSeconds = 600 }
        let t = m.token(for: phone)
        m.record(.declined, for: t, offered: ["a"])
        clock.advance(599)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.declined))
        clock.advance(2)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .offer(skipping: []))
    }

    func testFailuresBackOffExponentiallyThenGiveUp() {
        let m = memory { $0.maxRetries = 2; $0.retryBackoffSeconds = 60 }
        let t = m.token(for: phone)
        m.record(.failed(delivered: []), for: t, offered: ["a"])
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.backingOff))
        clock.advance(60)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .offer(skipping: []))
        m.record(.failed(delivered: []), for: t, offered: ["a"])
        clock.advance(119)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.backingOff))
        clock.advance(1)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .offer(skipping: []))
        m.record(.failed(delivered: []), for: t, offered: ["a"])
        clock.advance(100_000)
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.gaveUp))
    }

    func testSuccessAfterAFailureClearsTheCount() {
        let m = memory { $0.retryBackoffSeconds = 1 }
        let t = m.token(for: phone)
        m.record(.failed(delivered: ["a"]), for: t, offered: ["a", "b"])
        clock.advance(1)
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .offer(skipping: ["a"]))
        m.record(.delivered, for: t, offered: ["b"])
        XCTAssertEqual(m.decision(for: t, campaign: ["a", "b"]), .skip(.delivered))
    }

    func testCannotReceiveIsSkipped() {
        let m = memory()
        let t = m.token(for: phone)
        m.record(.cannotReceive, for: t, offered: [])
        XCTAssertEqual(m.decision(for: t, campaign: ["a"]), .skip(.cannotReceive))
    }

    func testSeenOncePerHourAndStableOrdinals() {
        let m = memory()
        let a = m.token(for: phone), b = m.token(for: other)
        XCTAssertEqual(m.sighted(a, hour: 10).ordinal, 1)
        XCTAssertEqual(m.sighted(b, hour: 10).ordinal, 2)
        XCTAssertFalse(m.sighted(a, hour: 10).firstThisHour)
        XCTAssertTrue(m.sighted(a, hour: 11).firstThisHour)
        XCTAssertEqual(m.ordinal(of: a), 1)
    }

    func testAFloodOfAddressesIsBoundedAndSparesDeclines() {
        let m = memory { $0.maxRememberedDevices = 100 }
        let decliner = m.token(for: phone)
        _ = m.sighted(decliner, hour: 0)
        m.record(.declined, for: decliner, offered: ["a"])
        for i in 0..<1000 {
            clock.advance(1)
            let t = m.token(for: DeviceAddress(bytes: [0xAA, 0, 0, 0, UInt8(i >> 8), UInt8(i & 0xff)]))
            _ = m.sighted(t, hour: 0)
        }
        XCTAssertLessThanOrEqual(m.count, 100)
        XCTAssertEqual(m.decision(for: decliner, campaign: ["a"]), .skip(.declined))
    }
}
