/// The 24-bit Class of Device a BR/EDR device announces in inquiry: major
/// service classes (bits 13–23), major device class (8–12), minor (2–7).
public struct ClassOfDevice: Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue & 0xFF_FFFF }

    /// From the 3 bytes of an HCI event (least significant first).
    init(littleEndian b: ArraySlice<UInt8>) {
        let a = Array(b)
        rawValue = UInt32(a[0]) | UInt32(a[1]) << 8 | UInt32(a[2]) << 16
    }

    public var majorDeviceClass: UInt8 { UInt8((rawValue >> 8) & 0x1F) }
    public var minorDeviceClass: UInt8 { UInt8((rawValue >> 2) & 0x3F) }

    /// "Object Transfer" service bit (0x100000): set by Android and most
    /// feature phones when they run an OPP server (research §2.11).
    public var advertisesObjectTransfer: Bool { rawValue & 0x10_0000 != 0 }

    /// Major/minor in words, e.g. "Phone/Smartphone".
    public var kind: String {
        switch majorDeviceClass {
        case 0x01:
            let minors = ["Computer", "Desktop", "Server", "Laptop", "Handheld", "Palm", "Wearable", "Tablet"]
            let m = Int(minorDeviceClass)
            return m == 0 || m >= minors.count ? "Computer" : "Computer/\(minors[m])"
        case 0x02:
            let minors = ["Phone", "Cellular", "Cordless", "Smartphone", "Modem", "ISDN"]
            let m = Int(minorDeviceClass)
            return m == 0 || m >= minors.count ? "Phone" : "Phone/\(minors[m])"
        case 0x03: return "Network"
        case 0x04: return "Audio/Video"
        case 0x05: return "Peripheral"
        case 0x06: return "Imaging"
        case 0x07: return "Wearable"
        case 0x08: return "Toy"
        case 0x09: return "Health"
        default: return "Uncategorized"
        }
    }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex
    }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt32.self) & 0xFF_FFFF
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
