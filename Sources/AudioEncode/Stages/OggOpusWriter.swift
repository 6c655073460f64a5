/// The mux stage: an Ogg Opus stream per RFC 7845 — OpusHead (pre-skip from
/// the encoder's lookahead, the input's sample rate, gain 0) and a compact
/// OpusTags (vendor, TITLE, LANGUAGE, no padding) each on their own page,
/// then audio pages of about one second whose granule positions count 48 kHz
/// samples, the last one trimmed to the exact length and marked EOS.
final class OggOpusWriter {
    private let stream: OggStream
    private let sink: ([UInt8]) throws -> Void
    private var granule: Int64 = 0
    private var samplesOnPage = 0
    static let pageSamples = 48000

    init(serial: Int32, preSkip: Int, inputSampleRate: Int, vendor: String, tags: [OggOpusTag],
         sink: @escaping ([UInt8]) throws -> Void) throws {
        stream = try OggStream(serial: serial)
        self.sink = sink
        try stream.add(packet: Self.opusHead(preSkip: preSkip, inputSampleRate: inputSampleRate), granule: 0, bos: true)
        try flush()
        try stream.add(packet: Self.opusTags(vendor: vendor, tags: tags), granule: 0)
        try flush()
    }

    /// Adds one audio packet holding `samples48k` samples. The last packet
    /// carries the end granule (pre-skip + exact length), which trims the
    /// encoder's padding.
    func add(packet: [UInt8], samples48k: Int, last endGranule: Int64? = nil) throws {
        granule += Int64(samples48k)
        if let end = endGranule {
            precondition(end <= granule && granule - end < Int64(samples48k), "end trim must be shorter than the last packet")
            try stream.add(packet: packet, granule: end, eos: true)
            try flush()
            return
        }
        try stream.add(packet: packet, granule: granule)
        samplesOnPage += samples48k
        if samplesOnPage >= Self.pageSamples { try flush() }
    }

    private func flush() throws {
        for page in stream.flushPages() { try sink(page) }
        samplesOnPage = 0
    }

    static func opusHead(preSkip: Int, inputSampleRate: Int) -> [UInt8] {
        var b = Array("OpusHead".utf8)
        b.append(1)                 // version
        b.append(1)                 // channels
        b += le16(preSkip)
        b += le32(inputSampleRate)
        b += le16(0)                // output gain: loudness is baked into the PCM
        b.append(0)                 // mapping family 0 (mono/stereo)
        return b
    }

    static func opusTags(vendor: String, tags: [OggOpusTag]) -> [UInt8] {
        var b = Array("OpusTags".utf8)
        let v = Array(vendor.utf8)
        b += le32(v.count) + v
        b += le32(tags.count)
        for tag in tags {
            let c = Array("\(tag.key)=\(tag.value)".utf8)
            b += le32(c.count) + c
        }
        return b
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> ($0 * 8)) & 0xFF) } }
}
