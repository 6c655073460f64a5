import XCTest
@testable import OBEXPush

/// Golden byte vectors for every header encoding, packet kind and error path.
final class CodecTests: XCTestCase {
    private func encode(_ h: OBEXHeader) throws -> [UInt8] {
        var out: [UInt8] = []
        try h.encode(into: &out)
        return out
    }

    private func decodeOne(_ bytes: [UInt8]) throws -> OBEXHeader {
        var offset = 0
        let h = try OBEXHeader.decode(bytes[...], offset: &offset)
        XCTAssertEqual(offset, bytes.count, "decoder must consume the whole header")
        return h
    }

    // MARK: Headers, one per encoding

    func testNameIsUTF16BigEndianWithTerminatingNUL() throws {
        let bytes: [UInt8] = [0x01, 0x00, 0x0B, 0x00, 0x61, 0x00, 0x2E, 0x00, 0x6F, 0x00, 0x00]
        // "a.o": 3 code units + NUL = 8 bytes + 3 = 11
        XCTAssertEqual(try encode(.name("a.o")), bytes)
        XCTAssertEqual(try decodeOne(bytes), .name("a.o"))
    }

    func testNonASCIINameUsesRealUTF16IncludingSurrogatePairs() throws {
        // "ñ😀" = U+00F1, U+1F600 (surrogates D83D DE00)
        let bytes: [UInt8] = [0x01, 0x00, 0x0B, 0x00, 0xF1, 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x00]
        XCTAssertEqual(try encode(.name("ñ😀")), bytes)
        XCTAssertEqual(try decodeOne(bytes).text, "ñ😀")
    }

    func testEmptyNameIsABareHeader() throws {
        XCTAssertEqual(try encode(.name("")), [0x01, 0x00, 0x03])
        XCTAssertEqual(try decodeOne([0x01, 0x00, 0x03]).text, "")
        XCTAssertEqual(try decodeOne([0x01, 0x00, 0x05, 0x00, 0x00]).text, "", "a lone NUL is an empty name")
    }

    func testTextStopsAtFirstNULLikeAndroid() throws {
        let bytes: [UInt8] = [0x01, 0x00, 0x0B, 0x00, 0x61, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00]
        XCTAssertEqual(try decodeOne(bytes).text, "a")
    }

    func testUnpairedSurrogateBecomesReplacementCharacter() throws {
        XCTAssertEqual(try decodeOne([0x01, 0x00, 0x05, 0xD8, 0x00]).text, "\u{FFFD}")
    }

    func testTypeIsASCIIWithNUL() throws {
        let bytes: [UInt8] = [0x42, 0x00, 0x0D] + Array("audio/ogg".utf8) + [0x00]
        XCTAssertEqual(try encode(.type("audio/ogg")), bytes)
        let h = try decodeOne(bytes)
        XCTAssertEqual(h.latin1Text, "audio/ogg")
        XCTAssertEqual(try decodeOne([0x42, 0x00, 0x05, 0x61, 0x62]).latin1Text, "ab", "trailing NUL optional")
        XCTAssertEqual(try decodeOne([0x42, 0x00, 0x04, 0xE9]).latin1Text, "é", "Latin-1")
    }

    func testLengthIsFourBytesBigEndian() throws {
        XCTAssertEqual(try encode(.length(0x0102_0304)), [0xC3, 0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(try decodeOne([0xC3, 0xFF, 0xFF, 0xFF, 0xFF]).uint32, 0xFFFF_FFFF)
    }

    func testBodyAndEndOfBody() throws {
        XCTAssertEqual(try encode(.body([1, 2])), [0x48, 0x00, 0x05, 1, 2])
        XCTAssertEqual(try encode(.endOfBody([])), [0x49, 0x00, 0x03])
        XCTAssertEqual(try decodeOne([0x49, 0x00, 0x04, 9]), .endOfBody([9]))
    }

    func testOneByteHeader() throws {
        let srm = OBEXHeader(id: .singleResponseMode, value: .byte(1))
        XCTAssertEqual(try encode(srm), [0x97, 0x01])
        XCTAssertEqual(try decodeOne([0x97, 0x01]), srm)
    }

    func testTargetAndConnectionIDAndCount() throws {
        XCTAssertEqual(try encode(.target([0xF9, 0xEC])), [0x46, 0x00, 0x05, 0xF9, 0xEC])
        XCTAssertEqual(try encode(.connectionID(1)), [0xCB, 0, 0, 0, 1])
        XCTAssertEqual(try encode(.count(2)), [0xC0, 0, 0, 0, 2])
    }

    func testValueMustMatchTheIDsEncoding() {
        XCTAssertThrowsError(try encode(OBEXHeader(id: .name, value: .bytes([1])))) {
            XCTAssertEqual($0 as? OBEXCodecError, .valueDoesNotMatchEncoding(id: 0x01))
        }
        XCTAssertThrowsError(try encode(OBEXHeader(id: .length, value: .text("x"))))
    }

    func testOversizedValueIsRefusedWhenEncoding() {
        XCTAssertThrowsError(try encode(.body([UInt8](repeating: 0, count: 0xFFFF)))) {
            guard case .valueTooLong = $0 as? OBEXCodecError else { return XCTFail("\($0)") }
        }
    }

    // MARK: Header error paths

    func testTruncatedHeaders() {
        for bytes: [UInt8] in [[0xC3, 0, 0, 0], [0x97], [0x01, 0x00], [0x48]] {
            XCTAssertThrowsError(try decodeOne(bytes), "\(bytes)") {
                guard case .truncated = $0 as? OBEXCodecError else { return XCTFail("\($0)") }
            }
        }
    }

    func testHeaderLengthBeyondBytesPresentOrBelowThree() {
        XCTAssertThrowsError(try decodeOne([0x48, 0x00, 0x09, 1, 2])) {
            XCTAssertEqual($0 as? OBEXCodecError, .badHeaderLength(id: 0x48, declared: 9, available: 5))
        }
        XCTAssertThrowsError(try decodeOne([0x48, 0x00, 0x02, 1])) {
            XCTAssertEqual($0 as? OBEXCodecError, .badHeaderLength(id: 0x48, declared: 2, available: 4))
        }
        XCTAssertThrowsError(try decodeOne([0x01, 0x00, 0x00])) {
            guard case .badHeaderLength = $0 as? OBEXCodecError else { return XCTFail("\($0)") }
        }
    }

    func testOddUnicodeLengthIsRefused() {
        XCTAssertThrowsError(try decodeOne([0x01, 0x00, 0x06, 0x00, 0x61, 0x00])) {
            XCTAssertEqual($0 as? OBEXCodecError, .oddUnicodeLength(id: 0x01, length: 3))
        }
    }

    // MARK: Packets

    func testConnectRequestGolden() throws {
        let bytes: [UInt8] = [0x80, 0x00, 0x07, 0x10, 0x00, 0xFC, 0x00]
        XCTAssertEqual(try OBEXRequest.connect(maxPacketLength: 0xFC00).encoded(), bytes)
        let decoded = try OBEXRequest.decode(bytes[...], maxPacketLength: 0xFFFF)
        XCTAssertEqual(decoded.opcode, .connect)
        XCTAssertEqual(decoded.connect, OBEXConnectFields(version: 0x10, flags: 0, maxPacketLength: 0xFC00))
        XCTAssertTrue(decoded.headers.isEmpty)
    }

    func testConnectResponseGoldenAndBareRefusal() throws {
        let ok: [UInt8] = [0xA0, 0x00, 0x0C, 0x10, 0x00, 0x01, 0x00, 0xCB, 0, 0, 0, 7]
        let r = try OBEXResponse.decode(ok[...], answering: .connect, maxPacketLength: 0xFC00)
        XCTAssertEqual(r.code, .success)
        XCTAssertEqual(r.connect?.maxPacketLength, 256)
        XCTAssertEqual(r.headers, [.connectionID(7)])
        XCTAssertEqual(try r.encoded(), ok)
        let refused = try OBEXResponse.decode([0xC3, 0x00, 0x03][...], answering: .connect, maxPacketLength: 0xFC00)
        XCTAssertEqual(refused.code, .forbidden)
        XCTAssertNil(refused.connect)
    }

    func testConnectAnswerWithMaxBelow255IsRefused() {
        XCTAssertThrowsError(try OBEXResponse.decode([0xA0, 0x00, 0x07, 0x10, 0x00, 0x00, 0xFE][...], answering: .connect, maxPacketLength: 0xFC00)) {
            XCTAssertEqual($0 as? OBEXCodecError, .maxPacketLengthTooSmall(254))
        }
        XCTAssertThrowsError(try OBEXRequest.decode([0x80, 0x00, 0x07, 0x10, 0x00, 0x00, 0x10][...], maxPacketLength: 0xFFFF))
        XCTAssertThrowsError(try OBEXResponse.decode([0xA0, 0x00, 0x05, 0x10, 0x00][...], answering: .connect, maxPacketLength: 0xFC00)) {
            XCTAssertEqual($0 as? OBEXCodecError, .truncated(needed: 7, available: 5))
        }
    }

    func testPutPacketsGolden() throws {
        let first = OBEXRequest(opcode: .put, headers: [.name("a"), .length(2), .body([0x41])])
        let expected: [UInt8] = [0x02, 0x00, 0x13,
                                 0x01, 0x00, 0x07, 0x00, 0x61, 0x00, 0x00,
                                 0xC3, 0x00, 0x00, 0x00, 0x02,
                                 0x48, 0x00, 0x04, 0x41]
        XCTAssertEqual(try first.encoded(), expected)
        XCTAssertEqual(try OBEXRequest.decode(expected[...], maxPacketLength: 255), first)
        let last = OBEXRequest(opcode: .putFinal, headers: [.endOfBody([0x42])])
        XCTAssertEqual(try last.encoded(), [0x82, 0x00, 0x07, 0x49, 0x00, 0x04, 0x42])
    }

    func testDisconnectAbortAndSetPath() throws {
        XCTAssertEqual(try OBEXRequest(opcode: .disconnect).encoded(), [0x81, 0x00, 0x03])
        XCTAssertEqual(try OBEXRequest(opcode: .abort).encoded(), [0xFF, 0x00, 0x03])
        let setPath = try OBEXRequest.decode([0x85, 0x00, 0x05, 0x02, 0x00][...], maxPacketLength: 255)
        XCTAssertEqual(setPath.setPath, OBEXSetPathFields(flags: 2, constants: 0))
        XCTAssertThrowsError(try OBEXRequest.decode([0x85, 0x00, 0x04, 0x02][...], maxPacketLength: 255))
    }

    func testResponseCodesKeepTheirRawValue() throws {
        let kaios = try OBEXResponse.decode([0x41, 0x00, 0x03][...], answering: .put, maxPacketLength: 255)
        XCTAssertEqual(kaios.code.rawValue, 0x41)
        XCTAssertEqual(kaios.code.meaning, 0x41)
        XCTAssertFalse(kaios.code.isFinalBitSet)
        XCTAssertEqual(OBEXResponseCode(rawValue: 0x10).isContinue, true, "Continue without the final bit")
        XCTAssertEqual(OBEXResponseCode.forbidden.description, "0xC3 Forbidden")
    }

    // MARK: Packet error paths

    func testPacketLengthFieldMustMatchTheBytes() {
        XCTAssertThrowsError(try OBEXRequest.decode([0x81, 0x00, 0x05, 0x00][...], maxPacketLength: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .packetLengthMismatch(declared: 5, actual: 4))
        }
        XCTAssertThrowsError(try OBEXRequest.decode([0x81, 0x00, 0x03, 0x00][...], maxPacketLength: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .packetLengthMismatch(declared: 3, actual: 4))
        }
    }

    func testPacketLengthBelowThreeOrAboveMaximum() {
        XCTAssertThrowsError(try OBEXFraming.packetLength([0x90, 0x00, 0x02][...], maximum: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .packetLengthTooSmall(declared: 2))
        }
        XCTAssertThrowsError(try OBEXFraming.packetLength([0x90, 0x01, 0x00][...], maximum: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .packetTooLarge(declared: 256, maximum: 255))
        }
        XCTAssertNil(try OBEXFraming.packetLength([0x90, 0x01][...], maximum: 255), "needs 3 bytes")
        XCTAssertEqual(try OBEXFraming.packetLength([0x90, 0x00, 0xFF, 0xAA][...], maximum: 255), 255)
    }

    func testTruncatedPackets() {
        XCTAssertThrowsError(try OBEXRequest.decode([0x82][...], maxPacketLength: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .truncated(needed: 3, available: 1))
        }
        XCTAssertThrowsError(try OBEXRequest.decode([][...], maxPacketLength: 255))
        XCTAssertThrowsError(try OBEXRequest.decode([0x80, 0x00, 0x04, 0x10][...], maxPacketLength: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .truncated(needed: 7, available: 4))
        }
    }

    func testHeaderOverrunningItsPacketIsRefused() {
        // The packet says 8 bytes; its Body header claims 10.
        let bytes: [UInt8] = [0x02, 0x00, 0x08, 0x48, 0x00, 0x0A, 0x01, 0x02]
        XCTAssertThrowsError(try OBEXRequest.decode(bytes[...], maxPacketLength: 255)) {
            XCTAssertEqual($0 as? OBEXCodecError, .badHeaderLength(id: 0x48, declared: 10, available: 5))
        }
    }

    func testOversizedPacketIsRefusedWhenEncoding() {
        let big = OBEXRequest(opcode: .put, headers: [.body([UInt8](repeating: 0, count: 0xFFF0)), .body([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])])
        XCTAssertThrowsError(try big.encoded()) {
            guard case .packetTooLarge = $0 as? OBEXCodecError else { return XCTFail("\($0)") }
        }
    }

    func testDecodingSlicesNotStartingAtZero() throws {
        let stream: [UInt8] = [0xEE, 0xEE, 0x90, 0x00, 0x05, 0x97, 0x01]
        let r = try OBEXResponse.decode(stream[2...], answering: .put, maxPacketLength: 255)
        XCTAssertEqual(r.headers, [OBEXHeader(id: .singleResponseMode, value: .byte(1))])
    }

    func testOutcomeClassification() {
        XCTAssertEqual(DeliveryOutcome.classify(.success), .delivered)
        XCTAssertEqual(DeliveryOutcome.classify(.forbidden), .declined(code: 0xC3))
        XCTAssertEqual(DeliveryOutcome.classify(.unauthorized), .declined(code: 0xC1))
        XCTAssertEqual(DeliveryOutcome.classify(OBEXResponseCode(rawValue: 0x41)), .declined(code: 0x41))
        for c: UInt8 in [0xCF, 0xC6, 0xC0, 0xCB] {
            XCTAssertEqual(DeliveryOutcome.classify(OBEXResponseCode(rawValue: c)), .refusedAsUnsupported(code: c))
        }
        XCTAssertEqual(DeliveryOutcome.classify(.serviceUnavailable), .busy(code: 0xD3))
        XCTAssertEqual(DeliveryOutcome.classify(.internalServerError), .refused(code: 0xD0))
        XCTAssertEqual(DeliveryOutcome.declined(code: 0x41).responseCode, 0x41)
    }
}
