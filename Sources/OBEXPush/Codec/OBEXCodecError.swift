/// Why bytes could not be decoded as OBEX, or a value could not be encoded.
/// Every decoding path ends in one of these instead of trapping.
public enum OBEXCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the fixed part of a packet or header needs.
    case truncated(needed: Int, available: Int)
    /// The packet's length field disagrees with the bytes given.
    case packetLengthMismatch(declared: Int, actual: Int)
    /// The length field is below the 3-byte minimum.
    case packetLengthTooSmall(declared: Int)
    /// The length field exceeds the negotiated maximum.
    case packetTooLarge(declared: Int, maximum: Int)
    /// A header's own length runs past the end of the packet or below its minimum.
    case badHeaderLength(id: UInt8, declared: Int, available: Int)
    /// A Unicode header with an odd number of bytes.
    case oddUnicodeLength(id: UInt8, length: Int)
    /// CONNECT announced a max packet length below 255.
    case maxPacketLengthTooSmall(Int)
    /// A value too long to fit a 16-bit length field (encoding).
    case valueTooLong(id: UInt8, length: Int)
    /// A header whose encoding does not match its ID (encoding).
    case valueDoesNotMatchEncoding(id: UInt8)

    public var description: String {
        switch self {
        case .truncated(let n, let a): return "truncated: needed \(n) bytes, got \(a)"
        case .packetLengthMismatch(let d, let a): return "packet length field says \(d) bytes but \(a) were given"
        case .packetLengthTooSmall(let d): return "packet length field \(d) is below the 3-byte minimum"
        case .packetTooLarge(let d, let m): return "packet of \(d) bytes exceeds the negotiated maximum of \(m)"
        case .badHeaderLength(let id, let d, let a): return "header 0x\(hex2(id)) declares \(d) bytes with \(a) available"
        case .oddUnicodeLength(let id, let l): return "text header 0x\(hex2(id)) has an odd length (\(l) bytes)"
        case .maxPacketLengthTooSmall(let m): return "max packet length \(m) is below the 255 minimum"
        case .valueTooLong(let id, let l): return "header 0x\(hex2(id)) value of \(l) bytes does not fit a packet"
        case .valueDoesNotMatchEncoding(let id): return "header 0x\(hex2(id)) value does not match its encoding"
        }
    }
}
