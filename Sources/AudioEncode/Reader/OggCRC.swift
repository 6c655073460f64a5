// Dependency-free (compiled standalone into the Ogg fuzz target).

/// The Ogg page checksum (RFC 3533): CRC-32, polynomial 0x04C11DB7, initial
/// value 0, not reflected, no final xor — not the zlib CRC.
enum OggCRC {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var r = UInt32(i) << 24
        for _ in 0..<8 { r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1 }
        return r
    }

    /// CRC of `bytes[range]`, treating bytes `zeroed` (the stored CRC field) as 0.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>, zeroing zeroed: Range<Int>) -> UInt32 {
        var crc: UInt32 = 0
        table.withUnsafeBufferPointer { t in
            bytes.withUnsafeBufferPointer { b in
                for i in range {
                    let byte = zeroed.contains(i) ? 0 : b[i]
                    crc = (crc << 8) ^ t[Int(((crc >> 24) ^ UInt32(byte)) & 0xFF)]
                }
            }
        }
        return crc
    }
}
