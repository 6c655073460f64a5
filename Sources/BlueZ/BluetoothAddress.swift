import CBluetooth

/// A BR/EDR device address (BD_ADDR), most significant byte first as people
/// write it ("00:AA:01:00:00:00"). bdaddr_t stores the bytes the other way round.
public struct BluetoothAddress: Hashable, Sendable, CustomStringConvertible, Codable {
    /// Most significant byte first.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// Parses "AA:BB:CC:DD:EE:FF" (also with '-' separators), any case.
    public init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == ":" || $0 == "-" }
        guard parts.count == 6 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard p.count == 2, let b = UInt8(p, radix: 16) else { return nil }
            out.append(b)
        }
        bytes = out
    }

    public var description: String {
        bytes.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: ":")
    }

    public static let any = BluetoothAddress(bytes: [0, 0, 0, 0, 0, 0])!

    init(_ raw: bdaddr_t) {
        let b = raw.b
        bytes = [b.5, b.4, b.3, b.2, b.1, b.0]
    }

    var raw: bdaddr_t {
        bdaddr_t(b: (bytes[5], bytes[4], bytes[3], bytes[2], bytes[1], bytes[0]))
    }

    /// From 6 bytes as they travel in HCI events (least significant first).
    init(littleEndian slice: ArraySlice<UInt8>) {
        bytes = Array(slice.reversed())
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let a = BluetoothAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a Bluetooth address"))
        }
        self = a
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
