import Foundation

/// The Decoder stage: makes any supported recording readable as float frames.
/// libsndfile reads WAV/AIFF/FLAC/Ogg/MP3 directly. Formats phones record in
/// that libsndfile cannot read (M4A/AAC, 3GP/AMR…) are converted once by the
/// `ffmpeg` command into a temporary float WAV, removed in `deinit`. Each
/// pass of the pipeline calls `open()` and reads in blocks, so nothing holds
/// the whole recording in memory.
final class InputDecoder {
    let inputPath: String
    let formatDescription: String
    let sampleRate: Int
    let channels: Int
    let declaredFrames: Int
    /// Whether the header's frame count is exact (PCM containers, FLAC), so
    /// reading fewer frames means the file is cut short. MP3/Ogg estimates are not.
    let declaredFramesAreExact: Bool
    /// Frames the header promised when libsndfile found the data chunk cut
    /// short (it then quietly reads what is there).
    let truncationFromLog: Int?
    /// The file libsndfile reads: the input itself or ffmpeg's conversion.
    private let readablePath: String
    private var temporaryPath: String?
    private var cleanupSlot: Int?

    /// Extensions of formats only ffmpeg decodes here.
    static let ffmpegExtensions: Set<String> = ["m4a", "m4b", "mp4", "aac", "3gp", "3g2", "3ga", "amr", "awb", "wma", "webm", "mka", "mkv", "caf"]

    init(path: String, maxSeconds: Double) throws {
        inputPath = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioEncodeError.inputMissing(path: path)
        }
        if isDirectory.boolValue { throw AudioEncodeError.inputIsDirectory(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AudioEncodeError.inputUnreadable(path: path, reason: "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { throw AudioEncodeError.notAudio(path: path, detail: "the file is empty (0 bytes)") }

        let reader: SoundFileReader
        do {
            reader = try SoundFileReader(path: path)
            readablePath = path
            formatDescription = reader.formatDescription
        } catch let sndfileError as AudioEncodeError {
            guard let format = Self.ffmpegOnlyFormat(path: path) else { throw sndfileError }
            guard let ffmpeg = Self.findExecutable("ffmpeg") else {
                throw AudioEncodeError.needsFFmpeg(path: path, format: format)
            }
            let temp = NSTemporaryDirectory() + "psacaster-decode-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).wav"
            cleanupSlot = InterruptCleanup.register(temp)
            let converted: String
            do { converted = try Self.convertWithFFmpeg(ffmpeg, input: path, output: temp, maxSeconds: maxSeconds) } catch {
                InterruptCleanup.unregister(cleanupSlot)
                throw error
            }
            temporaryPath = converted
            do { reader = try SoundFileReader(path: converted) } catch {
                unlink(converted)
                InterruptCleanup.unregister(cleanupSlot)
                throw AudioEncodeError.ffmpegFailed(path: path, detail: "its output was unreadable")
            }
            readablePath = converted
            formatDescription = "\(format) (decoded by ffmpeg)"
        }
        sampleRate = reader.sampleRate
        channels = reader.channels
        declaredFrames = reader.declaredFrames
        let major = reader.format & 0x0FFF_0000
        declaredFramesAreExact = temporaryPath == nil && ![0x200000, 0x230000].contains(major)   // OGG, MPEG
        truncationFromLog = temporaryPath == nil ? Self.promisedFrames(log: reader.log, frames: reader.declaredFrames) : nil
        if channels > 64 { throw AudioEncodeError.notAudio(path: path, detail: "it claims \(channels) channels") }
        if sampleRate < 1000 || sampleRate > 768_000 {
            throw AudioEncodeError.notAudio(path: path, detail: "its sample rate \(sampleRate) Hz is not a recording rate")
        }
    }

    deinit {
        if let t = temporaryPath { unlink(t) }
        InterruptCleanup.unregister(cleanupSlot)
    }

    /// libsndfile logs "data : 64000 (should be 29956)" for a WAV whose data
    /// chunk runs past the end of the file, and "Chunk size … > file length"
    /// with the header's "Frames : N" for AIFF.
    static func promisedFrames(log: String, frames: Int) -> Int? {
        for line in log.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == ":" })
            if words.first == "data", words.count >= 4, words[2] == "should",
               let said = Int(words[1]), let real = Int(words[words.count - 1]),
               said > real, real > 0, said != 0xFFFF_FFFF, said != 0x7FFF_FFFF {
                return Int(Double(frames) * Double(said) / Double(real))
            }
        }
        if log.contains("> file length") {
            for line in log.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("Frames") {
                if let n = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), n > frames { return n }
            }
        }
        return nil
    }

    func open() throws -> SoundFileReader { try SoundFileReader(path: readablePath) }

    /// A name for the format when the file looks like one only ffmpeg reads.
    static func ffmpegOnlyFormat(path: String) -> String? {
        var head = [UInt8](repeating: 0, count: 12)
        if let f = fopen(path, "rb") {
            head = Array(head.prefix(fread(&head, 1, 12, f)))
            fclose(f)
        }
        if head.count >= 8, head[4...7].elementsEqual("ftyp".utf8) { return "MP4/M4A/3GP audio" }
        if head.starts(with: Array("#!AMR".utf8)) { return "AMR audio" }
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xF6 == 0xF0 { return "AAC (ADTS) audio" }
        if head.starts(with: [0x30, 0x26, 0xB2, 0x75]) { return "WMA audio" }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return "WebM/Matroska audio" }
        let ext = (path as NSString).pathExtension.lowercased()
        if ffmpegExtensions.contains(ext) { return "\(ext.uppercased()) audio" }
        return nil
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Converts the first audio stream to a float WAV at its own rate and
    /// channel count (our stages do the downmix and resampling), stopping a
    /// second past the duration limit so a 2-hour file costs little.
    static func convertWithFFmpeg(_ ffmpeg: String, input: String, output temp: String, maxSeconds: Double) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-hide_banner", "-v", "error", "-y", "-i", input,
                             "-map", "0:a:0", "-vn", "-t", String(Int(maxSeconds.rounded(.up)) + 1),
                             "-c:a", "pcm_f32le", "-f", "wav", temp]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw AudioEncodeError.ffmpegFailed(path: input, detail: "could not start \(ffmpeg)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            unlink(temp)
            let lines = String(decoding: message, as: UTF8.self).split(separator: "\n")
            var why = lines.last.map(String.init) ?? "exit status \(process.terminationStatus)"
            if why.contains("matches no streams") { why = "it holds no audio stream" }
            throw AudioEncodeError.ffmpegFailed(path: input, detail: why.trimmingCharacters(in: .whitespaces))
        }
        return temp
    }
}
