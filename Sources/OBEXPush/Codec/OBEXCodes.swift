// The numbers of the OBEX wire format (IrOBEX 1.2 as phones implement it).
// No Foundation here: the codec files compile standalone into the fuzzers.

/// A request opcode. Bit 0x80 is the final bit: PUT is 0x02 while more
/// packets follow and 0x82 on the last one; CONNECT/DISCONNECT/ABORT are
/// always final.
public struct OBEXOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let connect = OBEXOpcode(rawValue: 0x80)
    public static let disconnect = OBEXOpcode(rawValue: 0x81)
    public static let put = OBEXOpcode(rawValue: 0x02)
    public static let putFinal = OBEXOpcode(rawValue: 0x82)
    public static let get = OBEXOpcode(rawValue: 0x03)
    public static let getFinal = OBEXOpcode(rawValue: 0x83)
    public static let setPath = OBEXOpcode(rawValue: 0x85)
    public static let abort = OBEXOpcode(rawValue: 0xFF)

    public var isFinal: Bool { rawValue & 0x80 != 0 }
    /// The operation without its final bit (PUT for both 0x02 and 0x82).
    /// ABORT (0xFF) keeps all bits: it is its own operation.
    public var operation: UInt8 { rawValue == 0xFF ? 0xFF : rawValue & 0x7F }

    public var description: String {
        switch rawValue {
        case 0x80: return "CONNECT"
        case 0x81: return "DISCONNECT"
        case 0x02: return "PUT"
        case 0x82: return "PUT (final)"
        case 0x03, 0x83: return "GET"
        case 0x85: return "SETPATH"
        case 0xFF: return "ABORT"
        default: return "opcode 0x" + hex2(rawValue)
        }
    }
}

/// A response code. The final bit (0x80) is set on every response of a
/// conforming server, but KaiOS answers 0x41 (Unauthorized without the final
/// bit) to a non-final PUT, so comparisons use `meaning`, the code without it.
public struct OBEXResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let `continue` = OBEXResponseCode(rawValue: 0x90)
    public static let success = OBEXResponseCode(rawValue: 0xA0)
    public static let badRequest = OBEXResponseCode(rawValue: 0xC0)
    public static let unauthorized = OBEXResponseCode(rawValue: 0xC1)
    public static let forbidden = OBEXResponseCode(rawValue: 0xC3)
    public static let notFound = OBEXResponseCode(rawValue: 0xC4)
    public static let notAcceptable = OBEXResponseCode(rawValue: 0xC6)
    public static let lengthRequired = OBEXResponseCode(rawValue: 0xCB)
    /// The object is larger than the receiver takes.
    public static let entityTooLarge = OBEXResponseCode(rawValue: 0xCD)
    /// The packet is larger than the negotiated maximum (Android's answer).
    public static let requestTooLarge = OBEXResponseCode(rawValue: 0xCE)
    public static let unsupportedMediaType = OBEXResponseCode(rawValue: 0xCF)
    public static let internalServerError = OBEXResponseCode(rawValue: 0xD0)
    public static let notImplemented = OBEXResponseCode(rawValue: 0xD1)
    public static let serviceUnavailable = OBEXResponseCode(rawValue: 0xD3)

    /// The code without the final bit: 0x10 Continue, 0x20 OK, 0x43 Forbidden…
    public var meaning: UInt8 { rawValue & 0x7F }
    public var isFinalBitSet: Bool { rawValue & 0x80 != 0 }
    public var isContinue: Bool { meaning == 0x10 }
    public var isSuccess: Bool { meaning == 0x20 }

    public var name: String {
        switch meaning {
        case 0x10: return "Continue"
        case 0x20: return "OK"
        case 0x21: return "Created"
        case 0x22: return "Accepted"
        case 0x40: return "Bad Request"
        case 0x41: return "Unauthorized"
        case 0x43: return "Forbidden"
        case 0x44: return "Not Found"
        case 0x45: return "Method Not Allowed"
        case 0x46: return "Not Acceptable"
        case 0x48: return "Request Timeout"
        case 0x49: return "Conflict"
        case 0x4B: return "Length Required"
        case 0x4C: return "Precondition Failed"
        case 0x4D: return "Request Entity Too Large"
        case 0x4E: return "Request Too Large"
        case 0x4F: return "Unsupported Media Type"
        case 0x50: return "Internal Server Error"
        case 0x51: return "Not Implemented"
        case 0x53: return "Service Unavailable"
        case 0x60: return "Database Full"
        case 0x61: return "Database Locked"
        default: return "unknown response"
        }
    }

    public var description: String { "0x" + hex2(rawValue) + " " + name }
}

/// A header identifier. Its top two bits say how the value is encoded.
public struct OBEXHeaderID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public enum Encoding: Sendable {
        case unicode    // 00: 2-byte length, UTF-16BE text ending in 00 00
        case bytes      // 01: 2-byte length, byte sequence
        case byte       // 10: one byte
        case uint32     // 11: four bytes, big-endian
    }
    public var encoding: Encoding {
        switch rawValue >> 6 {
        case 0: return .unicode
        case 1: return .bytes
        case 2: return .byte
        default: return .uint32
        }
    }

    public static let count = OBEXHeaderID(rawValue: 0xC0)
    public static let name = OBEXHeaderID(rawValue: 0x01)
    public static let type = OBEXHeaderID(rawValue: 0x42)
    public static let length = OBEXHeaderID(rawValue: 0xC3)
    public static let time = OBEXHeaderID(rawValue: 0x44)
    public static let description_ = OBEXHeaderID(rawValue: 0x05)
    public static let target = OBEXHeaderID(rawValue: 0x46)
    public static let http = OBEXHeaderID(rawValue: 0x47)
    public static let body = OBEXHeaderID(rawValue: 0x48)
    public static let endOfBody = OBEXHeaderID(rawValue: 0x49)
    public static let who = OBEXHeaderID(rawValue: 0x4A)
    public static let connectionID = OBEXHeaderID(rawValue: 0xCB)
    public static let applicationParameters = OBEXHeaderID(rawValue: 0x4C)
    public static let singleResponseMode = OBEXHeaderID(rawValue: 0x97)

    public var description: String {
        switch rawValue {
        case 0xC0: return "Count"
        case 0x01: return "Name"
        case 0x42: return "Type"
        case 0xC3: return "Length"
        case 0x44: return "Time"
        case 0x05: return "Description"
        case 0x46: return "Target"
        case 0x47: return "HTTP"
        case 0x48: return "Body"
        case 0x49: return "End-of-Body"
        case 0x4A: return "Who"
        case 0xCB: return "Connection ID"
        case 0x4C: return "Application Parameters"
        case 0x97: return "SRM"
        default: return "header 0x" + hex2(rawValue)
        }
    }
}

/// Limits the protocol itself sets.
public enum OBEXLimits {
    /// The smallest max packet length a peer may announce (IrOBEX 1.2).
    public static let minimumPacketLength = 255
    /// The 16-bit length field's ceiling.
    public static let maximumPacketLength = 0xFFFF
    /// Android's own client caps packets here "to push files to Windows 7";
    /// we offer the same.
    public static let preferredPacketLength = 0xFC00
    /// OBEX 1.0, as every phone speaks it.
    public static let version: UInt8 = 0x10
}

@inline(__always)
func hex2(_ v: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
    return String([digits[Int(v >> 4)], digits[Int(v & 0xF)]])
}
