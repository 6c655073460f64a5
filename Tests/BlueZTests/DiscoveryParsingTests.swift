import XCTest
@testable import BlueZ

/// Discovery decoded from bytes on the wire (HCI events as a raw socket
/// delivers them), including truncated and malformed input.
final class DiscoveryParsingTests: XCTestCase {
    let phone = BluetoothAddress("00:AA:01:01:00:01")!
    // the address as HCI carries it: least significant byte first
    let phoneLE: [UInt8] = [0x01, 0x00, 0x01, 0x01, 0xAA, 0x00]

    func testAddressParsesFormatsAndRejects() {
        XCTAssertEqual(BluetoothAddress("00:aa:01:01:00:01")?.description, "00:AA:01:01:00:01")
        XCTAssertEqual(BluetoothAddress("00-AA-01-01-00-01"), phone)
        for bad in ["", "00:AA:01:01:00", "00:AA:01:01:00:01:02", "0:AA:01:01:00:01", "GG:AA:01:01:00:01", "00:AA:01:01:00:1"] {
            XCTAssertNil(BluetoothAddress(bad), bad)
        }
        XCTAssertEqual(BluetoothAddress(littleEndian: phoneLE[...]), phone)
        XCTAssertEqual(BluetoothAddress(phone.raw), phone)
    }

    func testClassOfDevice() {
        let smartphone = ClassOfDevice(rawValue: 0x10020c)
        XCTAssertEqual(smartphone.kind, "Phone/Smartphone")
        XCTAssertTrue(smartphone.advertisesObjectTransfer)
        XCTAssertEqual(smartphone.description, "0x10020c")
        let headset = ClassOfDevice(rawValue: 0x240404)
        XCTAssertEqual(headset.kind, "Audio/Video")
        XCTAssertFalse(headset.advertisesObjectTransfer)
        XCTAssertEqual(ClassOfDevice(rawValue: 0x000104).kind, "Computer/Desktop")
        XCTAssertEqual(ClassOfDevice(littleEndian: [0x0c, 0x02, 0x10][...]), smartphone)
    }

    func testExtendedInquiryResponseNameAndUUIDs() {
        let eir: [UInt8] = [0x08, 0x09] + Array("phone-1".utf8)          // complete name
            + [0x05, 0x03, 0x05, 0x11, 0x0A, 0x11]                         // UUID16: 0x1105, 0x110A
            + [0x04, 0x08] + Array("pho".utf8)                             // shortened name
            + [0x00] + [UInt8](repeating: 0, count: 20)                    // padding
        let parsed = ExtendedInquiryResponse(bytes: eir[...])
        XCTAssertEqual(parsed.name, "phone-1")
        XCTAssertEqual(parsed.shortenedName, "pho")
        XCTAssertEqual(parsed.serviceUUIDs16, [0x1105, 0x110A])
    }

    func testExtendedInquiryResponseStopsAtTruncation() {
        // second structure claims 10 bytes but only 3 follow
        let eir: [UInt8] = [0x05, 0x09] + Array("abcd".utf8) + [0x0A, 0x03, 0x05, 0x11]
        let parsed = ExtendedInquiryResponse(bytes: eir[...])
        XCTAssertEqual(parsed.name, "abcd")
        XCTAssertEqual(parsed.serviceUUIDs16, [])
        XCTAssertNil(ExtendedInquiryResponse(bytes: [][...]).name)
        XCTAssertNil(ExtendedInquiryResponse(bytes: [0x01, 0x09][...]).name)     // empty name
    }

    func testExtendedInquiryResultEvent() {
        var params: [UInt8] = [0x01] + phoneLE + [0x01, 0x00] + [0x0c, 0x02, 0x10] + [0x00, 0x00] + [0xC4]  // RSSI -60
        var eir = [UInt8](repeating: 0, count: 240)
        let name: [UInt8] = [0x08, 0x09] + Array("phone-1".utf8)
        eir.replaceSubrange(0..<name.count, with: name)
        params += eir
        let packet: [UInt8] = [0x04, 0x2F, UInt8(params.count)] + params
        guard case .inquiryResults(let devices)? = HCIEvent(packet: packet) else { return XCTFail("not parsed") }
        XCTAssertEqual(devices, [DiscoveredDevice(address: phone, rssi: -60, classOfDevice: ClassOfDevice(rawValue: 0x10020c), name: "phone-1")])
        XCTAssertTrue(devices[0].canReceive)
    }

    func testInquiryResultWithRSSIBothLayouts() {
        let r14: [UInt8] = phoneLE + [0x01, 0x00] + [0x0c, 0x02, 0x5a] + [0x12, 0x34] + [0xB0]
        let packet14: [UInt8] = [0x04, 0x22, UInt8(1 + r14.count), 0x01] + r14
        guard case .inquiryResults(let d14)? = HCIEvent(packet: packet14) else { return XCTFail("14-byte layout") }
        XCTAssertEqual(d14.first?.rssi, -80)
        XCTAssertEqual(d14.first?.classOfDevice?.rawValue, 0x5a020c)
        let r15: [UInt8] = phoneLE + [0x01, 0x00, 0x00] + [0x0c, 0x02, 0x5a] + [0x12, 0x34] + [0xB0]
        let packet15: [UInt8] = [0x04, 0x22, UInt8(1 + r15.count), 0x01] + r15
        guard case .inquiryResults(let d15)? = HCIEvent(packet: packet15) else { return XCTFail("15-byte layout") }
        XCTAssertEqual(d15, d14)
    }

    func testInquiryResultWithoutRSSIAndManyResponses() {
        let other: [UInt8] = [0x02, 0x00, 0x01, 0x01, 0xAA, 0x00]
        let r1: [UInt8] = phoneLE + [0x01, 0x00, 0x00] + [0x0c, 0x02, 0x10] + [0, 0]
        let r2: [UInt8] = other + [0x01, 0x00, 0x00] + [0x04, 0x04, 0x24] + [0, 0]
        let packet: [UInt8] = [0x04, 0x02, UInt8(1 + r1.count + r2.count), 0x02] + r1 + r2
        guard case .inquiryResults(let d)? = HCIEvent(packet: packet) else { return XCTFail("not parsed") }
        XCTAssertEqual(d.map(\.address.description), ["00:AA:01:01:00:01", "00:AA:01:01:00:02"])
        XCTAssertNil(d[0].rssi)
        XCTAssertEqual(d.map(\.canReceive), [true, false])
        // a count larger than the bytes present yields only the complete entries
        let short: [UInt8] = [0x04, 0x02, UInt8(1 + r1.count), 0x03] + r1
        guard case .inquiryResults(let d2)? = HCIEvent(packet: short) else { return XCTFail("not parsed") }
        XCTAssertEqual(d2.count, 1)
    }

    func testCommandStatusCompleteAndTruncation() {
        XCTAssertEqual(HCIEvent(packet: [0x04, 0x0F, 0x04, 0x0C, 0x01, 0x01, 0x04]), .commandStatus(status: 0x0C, opcode: 0x0401))
        XCTAssertEqual(HCIEvent(packet: [0x04, 0x01, 0x01, 0x00]), .inquiryComplete(status: 0))
        XCTAssertEqual(HCIEvent(packet: [0x04, 0x0E, 0x04, 0x01, 0x02, 0x04, 0x00]), .commandComplete(opcode: 0x0402, parameters: [0x00]))
        XCTAssertNil(HCIEvent(packet: [0x04, 0x0F, 0x04, 0x00]))            // shorter than its length
        XCTAssertNil(HCIEvent(packet: [0x02, 0x01, 0x01, 0x00]))            // ACL, not an event
        XCTAssertNil(HCIEvent(packet: [0x04, 0x2F, 0x03, 0x01, 0x00, 0x00])) // EIR result too short
        XCTAssertNil(HCIEvent(packet: []))
    }

    func testRemoteNameComplete() {
        var params: [UInt8] = [0x00] + phoneLE + Array("phone-1".utf8)
        params += [UInt8](repeating: 0, count: 248 - 7)
        XCTAssertEqual(HCIEvent(packet: [0x04, 0x07, UInt8(params.count)] + params),
                       .remoteNameComplete(status: 0, address: phone, name: "phone-1"))
        let failed: [UInt8] = [0x04, 0x07, 0x07, 0x04] + phoneLE     // page timeout
        XCTAssertEqual(HCIEvent(packet: failed), .remoteNameComplete(status: 4, address: phone, name: nil))
    }

    func testCommandsOnTheWire() {
        XCTAssertEqual(HCICommand.inquiry(length: 2), [0x01, 0x01, 0x04, 0x05, 0x33, 0x8B, 0x9E, 0x02, 0x00])
        XCTAssertEqual(HCICommand.inquiryCancel(), [0x01, 0x02, 0x04, 0x00])
        XCTAssertEqual(HCICommand.remoteNameRequest(phone), [0x01, 0x19, 0x04, 0x0A] + phoneLE + [0x02, 0x00, 0x00, 0x00])
    }

    func testCanReceiveFromEIRAloneAndMerge() {
        var d = DiscoveredDevice(address: phone, rssi: -70, classOfDevice: ClassOfDevice(rawValue: 0x4a020c))
        XCTAssertFalse(d.canReceive)
        d.merge(DiscoveredDevice(address: phone, rssi: -55, name: "x", serviceUUIDs16: [0x1105]))
        XCTAssertTrue(d.canReceive)
        XCTAssertEqual(d.rssi, -55)
        XCTAssertEqual(d.classOfDevice?.rawValue, 0x4a020c)
        XCTAssertEqual(d.name, "x")
    }

    func testControllerInfoReply() {
        var p = phoneLE + [0x09, 0x02, 0x00] + [0xff, 0xff, 0, 0] + [0x91, 0x00, 0x00, 0x00] + [0x04, 0x01, 0x00]
        var name = [UInt8](repeating: 0, count: 249)
        name.replaceSubrange(0..<6, with: Array("psa-vm".utf8))
        p += name + [UInt8](repeating: 0, count: 11)
        let info = ControllerInfo(p)
        XCTAssertEqual(info?.address, phone)
        XCTAssertEqual(info?.name, "psa-vm")
        XCTAssertEqual(info?.currentSettings, [.powered, .bondable, .bredr])
        XCTAssertEqual(info?.classOfDevice.rawValue, 0x000104)
        XCTAssertNil(ControllerInfo(Array(p.prefix(100))))
    }
}
