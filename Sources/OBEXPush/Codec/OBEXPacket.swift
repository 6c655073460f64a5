/// The fields CONNECT and its response carry after the length:
/// version, flags and the largest packet the sender can receive.
public struct OBEXConnectFields: Equatable, Sendable {
    public var version: UInt8
    public var flags: UInt8
    public var maxPacketLength: UInt16

    public init(version: UInt8 = OBEXLimits.version, flags: UInt8 = 0, maxPacketLength: UInt16) {
        self.version = version
        self.flags = flags
        self.maxPacketLength = maxPacketLength
    }
}

/// SETPATH's two extra bytes (parsed so a server can answer it properly).
public struct OBEXSetPathFields: Equatable, Sendable {
    public var flags: UInt8
    public var constants: UInt8
}

/// Finds packet boundaries in a byte stream: every OBEX packet starts with
/// an opcode or response code and a 16-bit length covering the whole packet.
public enum OBEXFraming {
    /// The declared length of the packet at the start of `prefix`, or nil
    /// while fewer than 3 bytes are there. Throws for a length below 3 or
    /// above `maximum`, so a reader never waits for (or buffers) more than
    /// the negotiated maximum.
    public static func packetLength(_ prefix: ArraySlice<UInt8>, maximum: Int) throws -> Int? {
        guard prefix.count >= 3 else { return nil }
        let s = prefix.startIndex
        let declared = Int(prefix[s + 1]) << 8 | Int(prefix[s + 2])
        guard declared >= 3 else { throw OBEXCodecError.packetLengthTooSmall(declared: declared) }
        guard declared <= maximum else { throw OBEXCodecError.packetTooLarge(declared: declared, maximum: maximum) }
        return declared
    }

    /// Checks a whole packet's length field against its bytes and the maximum.
    static func checkWhole(_ bytes: ArraySlice<UInt8>, maximum: Int) throws {
        guard let declared = try packetLength(bytes, maximum: maximum) else {
            throw OBEXCodecError.truncated(needed: 3, available: bytes.count)
        }
        guard declared == bytes.count else { throw OBEXCodecError.packetLengthMismatch(declared: declared, actual: bytes.count) }
    }
}

/// A request packet: opcode, the fields some opcodes add, and headers.
public struct OBEXRequest: Equatable, Sendable {
    public var opcode: OBEXOpcode
    public var connect: OBEXConnectFields?      // CONNECT only
    public var setPath: OBEXSetPathFields?      // SETPATH only
    public var headers: [OBEXHeader]

    public init(opcode: OBEXOpcode, connect: OBEXConnectFields? = nil, setPath: OBEXSetPathFields? = nil, headers: [OBEXHeader] = []) {
        self.opcode = opcode
        self.connect = connect
        self.setPath = setPath
        self.headers = headers
    }

    public static func connect(maxPacketLength: UInt16, headers: [OBEXHeader] = []) -> OBEXRequest {
        OBEXRequest(opcode: .connect, connect: OBEXConnectFields(maxPacketLength: maxPacketLength), headers: headers)
    }

    /// Bytes this request takes on the wire.
    public var encodedLength: Int {
        3 + (opcode == .connect ? 4 : 0) + (opcode == .setPath ? 2 : 0) + headers.reduce(0) { $0 + $1.encodedLength }
    }

    public func encoded() throws -> [UInt8] {
        let total = encodedLength
        guard total <= OBEXLimits.maximumPacketLength else { throw OBEXCodecError.packetTooLarge(declared: total, maximum: OBEXLimits.maximumPacketLength) }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        out.append(opcode.rawValue)
        appendUInt16(UInt16(total), to: &out)
        if opcode == .connect {
            let c = connect ?? OBEXConnectFields(maxPacketLength: UInt16(OBEXLimits.preferredPacketLength))
            out.append(c.version); out.append(c.flags); appendUInt16(c.maxPacketLength, to: &out)
        }
        if opcode == .setPath {
            let p = setPath ?? OBEXSetPathFields(flags: 0, constants: 0)
            out.append(p.flags); out.append(p.constants)
        }
        for h in headers { try h.encode(into: &out) }
        return out
    }

    /// Decodes one whole request (server side). `maxPacketLength` is the
    /// largest packet this receiver announced; anything longer is refused.
    public static func decode(_ bytes: ArraySlice<UInt8>, maxPacketLength: Int) throws -> OBEXRequest {
        try OBEXFraming.checkWhole(bytes, maximum: maxPacketLength)
        let s = bytes.startIndex
        let opcode = OBEXOpcode(rawValue: bytes[s])
        var offset = s + 3
        var request = OBEXRequest(opcode: opcode)
        if opcode == .connect {
            guard bytes.count >= 7 else { throw OBEXCodecError.truncated(needed: 7, available: bytes.count) }
            let fields = OBEXConnectFields(version: bytes[s + 3], flags: bytes[s + 4],
                                           maxPacketLength: UInt16(bytes[s + 5]) << 8 | UInt16(bytes[s + 6]))
            guard Int(fields.maxPacketLength) >= OBEXLimits.minimumPacketLength else {
                throw OBEXCodecError.maxPacketLengthTooSmall(Int(fields.maxPacketLength))
            }
            request.connect = fields
            offset = s + 7
        } else if opcode == .setPath {
            guard bytes.count >= 5 else { throw OBEXCodecError.truncated(needed: 5, available: bytes.count) }
            request.setPath = OBEXSetPathFields(flags: bytes[s + 3], constants: bytes[s + 4])
            offset = s + 5
        }
        request.headers = try OBEXHeader.decodeAll(bytes[offset...])
        return request
    }
}

/// A response packet: a response code, CONNECT's fields when it answers a
/// CONNECT, and headers.
public struct OBEXResponse: Equatable, Sendable {
    public var code: OBEXResponseCode
    public var connect: OBEXConnectFields?
    public var headers: [OBEXHeader]

    public init(code: OBEXResponseCode, connect: OBEXConnectFields? = nil, headers: [OBEXHeader] = []) {
        self.code = code
        self.connect = connect
        self.headers = headers
    }

    public var encodedLength: Int {
        3 + (connect != nil ? 4 : 0) + headers.reduce(0) { $0 + $1.encodedLength }
    }

    public func encoded() throws -> [UInt8] {
        let total = encodedLength
        guard total <= OBEXLimits.maximumPacketLength else { throw OBEXCodecError.packetTooLarge(declared: total, maximum: OBEXLimits.maximumPacketLength) }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        out.append(code.rawValue)
        appendUInt16(UInt16(total), to: &out)
        if let c = connect {
            out.append(c.version); out.append(c.flags); appendUInt16(c.maxPacketLength, to: &out)
        }
        for h in headers { try h.encode(into: &out) }
        return out
    }

    /// Decodes one whole response (client side). A response to CONNECT
    /// carries version, flags and max packet length, but only when it is a
    /// success: a refusal may be a bare 3-byte packet, which is accepted.
    public static func decode(_ bytes: ArraySlice<UInt8>, answering request: OBEXOpcode, maxPacketLength: Int) throws -> OBEXResponse {
        try OBEXFraming.checkWhole(bytes, maximum: maxPacketLength)
        let s = bytes.startIndex
        var response = OBEXResponse(code: OBEXResponseCode(rawValue: bytes[s]))
        var offset = s + 3
        if request == .connect && (response.code.isSuccess || bytes.count >= 7) {
            guard bytes.count >= 7 else { throw OBEXCodecError.truncated(needed: 7, available: bytes.count) }
            let fields = OBEXConnectFields(version: bytes[s + 3], flags: bytes[s + 4],
                                           maxPacketLength: UInt16(bytes[s + 5]) << 8 | UInt16(bytes[s + 6]))
            if response.code.isSuccess, Int(fields.maxPacketLength) < OBEXLimits.minimumPacketLength {
                throw OBEXCodecError.maxPacketLengthTooSmall(Int(fields.maxPacketLength))
            }
            response.connect = fields
            offset = s + 7
        }
        response.headers = try OBEXHeader.decodeAll(bytes[offset...])
        return response
    }
}
