/// The parts of an Extended Inquiry Response (Core spec Vol 3 Part C §8) that
/// discovery needs: the device's name and the 16-bit service UUIDs it lists.
/// A pure value: parsed from the bytes of an Extended Inquiry Result event.
public struct ExtendedInquiryResponse: Equatable, Sendable {
    public var completeName: String?
    public var shortenedName: String?
    public var serviceUUIDs16: [UInt16] = []

    public var name: String? { completeName ?? shortenedName }

    /// Parses length-type-value structures; stops at a zero length (padding)
    /// or at a structure that would run past the end (a malformed or
    /// truncated response is read as far as it is well formed).
    public init(bytes: ArraySlice<UInt8>) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let length = Int(bytes[i])
            if length == 0 { break }
            let typeIndex = i + 1
            let end = typeIndex + length
            guard end <= bytes.endIndex else { break }
            let type = bytes[typeIndex]
            let value = bytes[(typeIndex + 1)..<end]
            switch type {
            case 0x02, 0x03:            // incomplete / complete list of 16-bit UUIDs
                var j = value.startIndex
                while j + 1 < value.endIndex {
                    serviceUUIDs16.append(UInt16(value[j]) | UInt16(value[j + 1]) << 8)
                    j += 2
                }
            case 0x08: shortenedName = Self.text(value)
            case 0x09: completeName = Self.text(value)
            default: break
            }
            i = end
        }
    }

    /// Names are UTF-8, sometimes NUL-padded; invalid bytes are replaced.
    static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        let trimmed = bytes.prefix { $0 != 0 }
        guard !trimmed.isEmpty else { return nil }
        return String(decoding: trimmed, as: UTF8.self)
    }
}
