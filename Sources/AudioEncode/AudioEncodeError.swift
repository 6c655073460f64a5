/// Everything that can go wrong turning a recording into an announcement.
/// `description` is one line, "<what failed>: <why>. <what to do>", which the
/// CLI prints after "psacaster: ".
public enum AudioEncodeError: Error, CustomStringConvertible, Equatable {
    case inputMissing(path: String)
    case inputUnreadable(path: String, reason: String)
    case inputIsDirectory(path: String)
    case notAudio(path: String, detail: String)
    case needsFFmpeg(path: String, format: String)
    case ffmpegFailed(path: String, detail: String)
    case noAudio(path: String)
    case truncated(path: String, expectedSeconds: Double, readSeconds: Double)
    case decodeFailed(path: String, detail: String)
    case nonFiniteSamples(path: String, atSeconds: Double)
    case tooLong(path: String, seconds: Double, limit: Double)
    case tooShort(path: String, seconds: Double, minimum: Double)
    case silent(path: String)
    case badOption(String)
    case outputIsInput(path: String)
    case outputFolderMissing(folder: String)
    case outputNotWritable(path: String, reason: String)
    case diskFull(path: String)
    case outputWriteFailed(path: String, reason: String)
    case encoderFailed(String)
    case resamplerFailed(String)
    case loudnessFailed(String)
    case muxFailed(String)
    case inspectUnreadable(path: String, reason: String)
    case inspectTooLarge(path: String, bytes: Int)

    public var description: String {
        switch self {
        case .inputMissing(let p):
            return "cannot read '\(p)': no such file. Check the path and try again."
        case .inputUnreadable(let p, let why):
            return "cannot read '\(p)': \(why). Check the file's permissions or copy it somewhere readable."
        case .inputIsDirectory(let p):
            return "cannot read '\(p)': it is a folder, not a recording. Give the path of an audio file."
        case .notAudio(let p, let detail):
            return "cannot decode '\(p)': \(detail). Give a WAV, FLAC, AIFF, Ogg, MP3 or M4A recording, or re-export it from the recorder."
        case .needsFFmpeg(let p, let format):
            return "cannot decode '\(p)': \(format) needs ffmpeg, which is not installed. Install it (apt-get install ffmpeg) or convert the file to WAV first (e.g. 'ffmpeg -i IN out.wav' on another machine)."
        case .ffmpegFailed(let p, let detail):
            return "cannot decode '\(p)' with ffmpeg: \(detail). The file may be damaged; re-export it from the recorder or convert it to WAV."
        case .noAudio(let p):
            return "nothing to encode in '\(p)': it holds no audio samples. Record again or pick another file."
        case .truncated(let p, let expected, let read):
            return "cannot decode '\(p)': it is truncated (its header promises \(Self.seconds(expected)) but only \(Self.seconds(read)) could be read). Copy the file again from the recorder."
        case .decodeFailed(let p, let detail):
            return "cannot decode '\(p)': \(detail). The file may be damaged; re-export it or convert it to WAV."
        case .nonFiniteSamples(let p, let at):
            return "cannot encode '\(p)': it contains invalid (NaN or infinite) samples at \(Self.seconds(at)). Re-export the recording as 16-bit or 24-bit PCM."
        case .tooLong(let p, let s, let limit):
            return "cannot encode '\(p)': it lasts \(Self.seconds(s)), longer than the \(Self.seconds(limit)) limit. Cut it shorter (short announcements reach more phones) or raise the limit with --max-seconds."
        case .tooShort(let p, let s, let minimum):
            return "cannot encode '\(p)': only \(Self.seconds(s)) of sound, less than the \(Self.seconds(minimum)) an announcement needs. Record a longer message."
        case .silent(let p):
            return "cannot encode '\(p)': it is silent (nothing louder than -60 dBFS). Check the microphone and record again."
        case .badOption(let text):
            return text
        case .outputIsInput(let p):
            return "cannot write '\(p)': it is the input recording, which would be lost. Choose another output name with -o."
        case .outputFolderMissing(let folder):
            return "cannot write into '\(folder)': no such folder. Create it first or choose another output path with -o."
        case .outputNotWritable(let p, let why):
            return "cannot write '\(p)': \(why). Choose a writable folder with -o."
        case .diskFull(let p):
            return "cannot write '\(p)': the disk is full. Free some space or write to another disk with -o."
        case .outputWriteFailed(let p, let why):
            return "cannot write '\(p)': \(why). Check the disk and try again."
        case .encoderFailed(let why):
            return "Opus encoder failed: \(why). Report this as a bug with the input file."
        case .resamplerFailed(let why):
            return "resampler failed: \(why). Report this as a bug with the input file."
        case .loudnessFailed(let why):
            return "loudness measurement failed: \(why). Try again with --no-loudness, and report this as a bug."
        case .muxFailed(let why):
            return "Ogg writer failed: \(why). Report this as a bug with the input file."
        case .inspectUnreadable(let p, let why):
            return "cannot inspect '\(p)': \(why). Check the path and permissions."
        case .inspectTooLarge(let p, let bytes):
            return "cannot inspect '\(p)': it is \(bytes / 1_048_576) MB, far too large for an announcement. Check that this is the right file."
        }
    }

    static func seconds(_ s: Double) -> String {
        if s >= 120 { return "\(Int(s) / 60) min \(Int(s) % 60) s" }
        if s >= 10 { return "\(Int(s.rounded())) s" }
        let tenths = (s * 10).rounded() / 10
        return "\(tenths) s"
    }
}
