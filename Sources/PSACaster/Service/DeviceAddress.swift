/// A Bluetooth device address, held only as long as a transfer needs it.
/// It prints as "<phone>" wherever it is interpolated, so an address can
/// never reach a log line or a file by accident; the radio reads `bytes`.
struct DeviceAddress: Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Most significant byte first, as written "AA:BB:CC:DD:EE:FF".
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 6, "a Bluetooth address has 6 bytes")
        self.bytes = bytes
    }

    /// Parses "AA:BB:CC:DD:EE:FF" (the notation BlueZ tools print).
    init?(text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 6 else { return nil }
        var b: [UInt8] = []
        for p in parts {
            guard p.count == 2, let v = UInt8(p, radix: 16) else { return nil }
            b.append(v)
        }
        self.init(bytes: b)
    }

    /// The colon notation, for the radio layer only (BlueZ calls, sockets).
    var textForRadio: String { bytes.map { hex2($0).uppercased() }.joined(separator: ":") }

    var description: String { "<phone>" }
    var debugDescription: String { "<phone>" }
}

func hex2(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}
