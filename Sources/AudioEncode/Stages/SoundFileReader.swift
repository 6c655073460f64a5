import CSndfile

/// One open libsndfile handle, read as float frames (libsndfile scales every
/// integer format to −1…1). Closed in `deinit`.
final class SoundFileReader {
    private let handle: OpaquePointer
    let sampleRate: Int
    let channels: Int
    /// Frames the header declares (an estimate for MP3).
    let declaredFrames: Int
    let format: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        var info = SF_INFO()
        guard let h = sf_open(path, Int32(SFM_READ), &info) else {
            let why = String(cString: sf_strerror(nil))
            throw AudioEncodeError.notAudio(path: path, detail: "not a recording libsndfile can read (\(why))")
        }
        handle = h
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        declaredFrames = Int(info.frames)
        format = info.format
        guard sampleRate > 0, channels > 0 else {
            sf_close(h)
            throw AudioEncodeError.notAudio(path: path, detail: "its header has no valid sample rate or channel count")
        }
    }

    deinit { sf_close(handle) }

    /// Reads up to `frames` interleaved frames into `buffer` (resized as
    /// needed); returns the number read, 0 at the end.
    func read(into buffer: inout [Float], frames: Int) throws -> Int {
        if buffer.count < frames * channels { buffer = [Float](repeating: 0, count: frames * channels) }
        let n = buffer.withUnsafeMutableBufferPointer { sf_readf_float(handle, $0.baseAddress, sf_count_t(frames)) }
        if n < 0 { throw AudioEncodeError.decodeFailed(path: path, detail: "libsndfile read error") }
        if n == 0, sf_error(handle) != 0 {
            let why = String(cString: sf_strerror(handle))
            throw AudioEncodeError.decodeFailed(path: path, detail: why)
        }
        return Int(n)
    }

    /// "WAV (Microsoft), Signed 24 bit PCM" and the like.
    var formatDescription: String {
        func name(_ code: Int32) -> String? {
            var fi = SF_FORMAT_INFO()
            fi.format = code
            guard sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &fi, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0, let n = fi.name else { return nil }
            return String(cString: n)
        }
        let major = name(format & Int32(SF_FORMAT_TYPEMASK)) ?? "unknown"
        let sub = name(format & Int32(SF_FORMAT_SUBMASK))
        return sub.map { "\(major), \($0)" } ?? major
    }

    /// libsndfile's diagnostic log for this file (mentions truncated data).
    var log: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return String(cString: buffer)
    }
}
