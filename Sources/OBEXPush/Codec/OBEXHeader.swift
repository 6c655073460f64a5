/// One OBEX header: an ID and a value in one of the four encodings the ID's
/// top two bits select. A pure value: encoding and decoding do no I/O.
public struct OBEXHeader: Equatable, Sendable, CustomStringConvertible {
    public enum Value: Equatable, Sendable {
        case text(String)       // Unicode: UTF-16BE on the wire, NUL-terminated
        case bytes([UInt8])     // byte sequence
        case byte(UInt8)        // one byte
        case uint32(UInt32)     // four bytes, big-endian
    }

    public let id: OBEXHeaderID
    public let value: Value

    public init(id: OBEXHeaderID, value: Value) {
        self.id = id
        self.value = value
    }

    // MARK: The headers Object Push uses

    public static func name(_ text: String) -> OBEXHeader { OBEXHeader(id: .name, value: .text(text)) }
    /// Type is ASCII with a terminating NUL (a byte-sequence header).
    public static func type(_ mime: String) -> OBEXHeader { OBEXHeader(id: .type, value: .bytes(Array(mime.utf8) + [0])) }
    public static func length(_ n: UInt32) -> OBEXHeader { OBEXHeader(id: .length, value: .uint32(n)) }
    public static func body(_ data: [UInt8]) -> OBEXHeader { OBEXHeader(id: .body, value: .bytes(data)) }
    public static func endOfBody(_ data: [UInt8]) -> OBEXHeader { OBEXHeader(id: .endOfBody, value: .bytes(data)) }
    public static func target(_ uuid: [UInt8]) -> OBEXHeader { OBEXHeader(id: .target, value: .bytes(uuid)) }
    public static func connectionID(_ n: UInt32) -> OBEXHeader { OBEXHeader(id: .connectionID, value: .uint32(n)) }
    public static func count(_ n: UInt32) -> OBEXHeader { OBEXHeader(id: .count, value: .uint32(n)) }
    public static func description(_ text: String) -> OBEXHeader { OBEXHeader(id: .description_, value: .text(text)) }

    // MARK: Reading values

    public var text: String? { if case .text(let s) = value { return s } else { return nil } }
    public var bytes: [UInt8]? { if case .bytes(let b) = value { return b } else { return nil } }
    public var uint32: UInt32? { if case .uint32(let n) = value { return n } else { return nil } }
    public var byte: UInt8? { if case .byte(let n) = value { return n } else { return nil } }

    /// A byte-sequence header read as Latin-1 text up to the first NUL, the
    /// way Android reads Type (the trailing NUL is optional).
    public var latin1Text: String? {
        guard let b = bytes else { return nil }
        let upToNUL = b.prefix { $0 != 0 }
        var s = ""
        s.unicodeScalars.append(contentsOf: upToNUL.map { Unicode.Scalar($0) })
        return s
    }

    // MARK: Encoding

    /// Bytes this header takes on the wire.
    public var encodedLength: Int {
        switch value {
        case .text(let s): return s.isEmpty ? 3 : 3 + 2 * (s.utf16.count + 1)
        case .bytes(let b): return 3 + b.count
        case .byte: return 2
        case .uint32: return 5
        }
    }

    /// Appends the header to `out`. Throws when the value does not match the
    /// ID's encoding or does not fit a 16-bit length.
    public func encode(into out: inout [UInt8]) throws {
        switch (id.encoding, value) {
        case (.unicode, .text(let s)):
            let length = encodedLength
            guard length <= OBEXLimits.maximumPacketLength - 3 else { throw OBEXCodecError.valueTooLong(id: id.rawValue, length: length) }
            out.append(id.rawValue)
            appendUInt16(UInt16(length), to: &out)
            if !s.isEmpty {
                for unit in s.utf16 { appendUInt16(unit, to: &out) }
                out.append(0); out.append(0)
            }
        case (.bytes, .bytes(let b)):
            let length = 3 + b.count
            guard length <= OBEXLimits.maximumPacketLength - 3 else { throw OBEXCodecError.valueTooLong(id: id.rawValue, length: length) }
            out.append(id.rawValue)
            appendUInt16(UInt16(length), to: &out)
            out.append(contentsOf: b)
        case (.byte, .byte(let v)):
            out.append(id.rawValue)
            out.append(v)
        case (.uint32, .uint32(let v)):
            out.append(id.rawValue)
            out.append(UInt8(truncatingIfNeeded: v >> 24))
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            out.append(UInt8(truncatingIfNeeded: v >> 8))
            out.append(UInt8(truncatingIfNeeded: v))
        default:
            throw OBEXCodecError.valueDoesNotMatchEncoding(id: id.rawValue)
        }
    }

    // MARK: Decoding

    /// Decodes one header starting at `offset` in `bytes`, advancing `offset`
    /// past it. Every length is checked against the bytes present.
    public static func decode(_ bytes: ArraySlice<UInt8>, offset: inout Int) throws -> OBEXHeader {
        let end = bytes.endIndex
        guard offset < end else { throw OBEXCodecError.truncated(needed: 1, available: 0) }
        let id = OBEXHeaderID(rawValue: bytes[offset])
        let available = end - offset
        switch id.encoding {
        case .byte:
            guard available >= 2 else { throw OBEXCodecError.truncated(needed: 2, available: available) }
            let v = bytes[offset + 1]
            offset += 2
            return OBEXHeader(id: id, value: .byte(v))
        case .uint32:
            guard available >= 5 else { throw OBEXCodecError.truncated(needed: 5, available: available) }
            let v = UInt32(bytes[offset + 1]) << 24 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 8 | UInt32(bytes[offset + 4])
            offset += 5
            return OBEXHeader(id: id, value: .uint32(v))
        case .unicode, .bytes:
            guard available >= 3 else { throw OBEXCodecError.truncated(needed: 3, available: available) }
            let length = Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            guard length >= 3, length <= available else {
                throw OBEXCodecError.badHeaderLength(id: id.rawValue, declared: length, available: available)
            }
            let valueBytes = bytes[(offset + 3)..<(offset + length)]
            offset += length
            if id.encoding == .bytes { return OBEXHeader(id: id, value: .bytes(Array(valueBytes))) }
            guard valueBytes.count % 2 == 0 else { throw OBEXCodecError.oddUnicodeLength(id: id.rawValue, length: valueBytes.count) }
            return OBEXHeader(id: id, value: .text(decodeUTF16BE(valueBytes)))
        }
    }

    /// Decodes headers until the slice is used up.
    public static func decodeAll(_ bytes: ArraySlice<UInt8>) throws -> [OBEXHeader] {
        var headers: [OBEXHeader] = []
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            headers.append(try decode(bytes, offset: &offset))
        }
        return headers
    }

    /// Text up to the first NUL code unit (as Android reads it); unpaired
    /// surrogates become U+FFFD rather than failing the whole packet.
    static func decodeUTF16BE(_ bytes: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let unit = UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            if unit == 0 { break }
            units.append(unit)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    public var description: String {
        switch value {
        case .text(let s): return "\(id)=\"\(s)\""
        case .bytes(let b): return id == .type ? "\(id)=\"\(latin1Text ?? "")\"" : "\(id)=\(b.count) bytes"
        case .byte(let v): return "\(id)=\(v)"
        case .uint32(let v): return "\(id)=\(v)"
        }
    }
}

extension Array where Element == OBEXHeader {
    /// The first header with this ID.
    public func first(_ id: OBEXHeaderID) -> OBEXHeader? { first { $0.id == id } }
}

@inline(__always)
func appendUInt16(_ v: UInt16, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: v >> 8))
    out.append(UInt8(truncatingIfNeeded: v))
}
