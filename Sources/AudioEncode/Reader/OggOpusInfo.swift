// Dependency-free (compiled standalone into the Ogg fuzz target).

/// One `KEY=value` comment from OpusTags.
public struct OggOpusTag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// What `OggOpusInspector` found in an Ogg Opus file. A file is acceptable
/// for broadcast only when `isValid` (no structural faults).
public struct OggOpusInfo: Codable, Sendable, Equatable {
    public var sizeBytes: Int
    /// Playback length: (last granule − pre-skip − start offset) / 48000.
    public var durationSeconds: Double
    /// Decoded samples at 48 kHz (what `opusdec --rate 48000` writes).
    public var decodedSamples48k: Int
    public var preSkip: Int
    /// OpusHead "input sample rate" (informational; 0 when unknown).
    public var inputSampleRate: Int
    public var channels: Int
    public var mappingFamily: Int
    /// OpusHead output gain in dB (Q7.8 in the file).
    public var outputGainDB: Double
    public var vendor: String
    public var tags: [OggOpusTag]
    public var pageCount: Int
    public var audioPacketCount: Int
    /// Average audio bitrate over the playback length, kbps.
    public var averageBitrateKbps: Double
    /// Human-readable structural problems (CRC, granules, EOS, header fields…).
    public var faults: [String]
    public var isValid: Bool

    public init() {
        sizeBytes = 0; durationSeconds = 0; decodedSamples48k = 0; preSkip = 0
        inputSampleRate = 0; channels = 0; mappingFamily = 0; outputGainDB = 0
        vendor = ""; tags = []; pageCount = 0; audioPacketCount = 0
        averageBitrateKbps = 0; faults = []; isValid = false
    }

    /// The first value of a tag, case-insensitively ("title" finds TITLE).
    public func tag(_ key: String) -> String? {
        let wanted = key.uppercased()
        return tags.first { $0.key.uppercased() == wanted }?.value
    }
}
