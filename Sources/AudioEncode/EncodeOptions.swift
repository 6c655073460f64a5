/// How `AnnouncementEncoder.encode` turns a recording into an announcement.
/// The defaults are the measured speech settings (see shared/research/opus-audio.md):
/// 16 kbps, silence trimmed, −16 LUFS with a true-peak limiter.
public struct EncodeOptions: Sendable, Equatable {
    /// Written as the TITLE tag (phones show it in their player). Nil: no TITLE tag.
    public var title: String?
    /// Written as the LANGUAGE tag, e.g. "vi" or "th". Nil: no LANGUAGE tag.
    public var language: String?
    /// Target Opus bitrate, 6…64 kbps (VBR).
    public var bitrateKbps: Int
    /// Inputs longer than this are refused (airtime is precious; a mistake
    /// such as a 2-hour file should not run for minutes).
    public var maxSeconds: Double
    /// Cut leading and trailing silence, keeping a short natural pad.
    public var trimSilence: Bool
    /// Normalise to −16 LUFS integrated with a true-peak limiter. Off: the
    /// samples are encoded as they are (for like-for-like benchmarks).
    public var normalizeLoudness: Bool

    public init(title: String? = nil, language: String? = nil, bitrateKbps: Int = 16,
                maxSeconds: Double = 300, trimSilence: Bool = true, normalizeLoudness: Bool = true) {
        self.title = title
        self.language = language
        self.bitrateKbps = bitrateKbps
        self.maxSeconds = maxSeconds
        self.trimSilence = trimSilence
        self.normalizeLoudness = normalizeLoudness
    }

    public static let bitrateRange = 6...64
    /// Integrated loudness the announcement is normalised to.
    public static let targetLUFS = -16.0
    /// True-peak ceiling before encoding. Opus overshoots peaks by up to ~1.2 dB
    /// at low bitrates (1.7 dB measured on TTS speech at 16 kbps), so this keeps the decoded file at or below −1 dBTP.
    public static let truePeakCeilingDBTP = -3.0
    /// Shorter sound than this (after trimming) is refused as a mistake.
    public static let minimumSeconds = 0.5
}

/// What an encode did, for the summary line, `--json` and the catalog.
public struct EncodeReport: Codable, Sendable, Equatable {
    public var inputPath: String
    public var outputPath: String
    /// libsndfile's name for the input format, e.g. "WAV (Microsoft) Signed 16 bit PCM",
    /// or "ffmpeg: aac" when decoded through ffmpeg.
    public var inputFormat: String
    public var inputSampleRate: Int
    public var inputChannels: Int
    public var inputSeconds: Double
    /// Sound kept after trimming, in input frames (the decoded file has exactly
    /// `decodedSamples48k` = ⌈keptFrames · 48000 / inputSampleRate⌉ samples at 48 kHz).
    public var keptFrames: Int
    public var trimmedLeadingSeconds: Double
    public var trimmedTrailingSeconds: Double
    /// Duration of the announcement (what a player plays).
    public var durationSeconds: Double
    public var decodedSamples48k: Int
    public var outputBytes: Int
    /// Integrated loudness of the input (after downmix), nil when silent/too short to measure.
    public var loudnessBeforeLUFS: Double?
    /// Integrated loudness of the announcement as a phone plays it (our
    /// packets decoded at 48 kHz, pre-skip and end trim applied).
    public var loudnessAfterLUFS: Double?
    /// True peak of the decoded announcement, dBTP.
    public var truePeakDBTP: Double?
    /// Gain applied before limiting, dB (0 when loudness normalisation is off).
    public var gainDB: Double
    /// The requested bitrate and the one achieved (file size / duration).
    public var bitrateKbps: Int
    public var averageBitrateKbps: Double
    /// Rate libopus ran at (input rate when Opus supports it, else 48000).
    public var encoderSampleRate: Int
    public var preSkip: Int
}
