import AudioEncode
import Foundation

/// Turns what staff bring (a recording in any format, or a finished .opus)
/// into a checked Ogg Opus file in the catalog's staging folder.
enum AnnouncementIntake {
    struct Prepared {
        var durationSeconds: Double
        /// "encoded" or "imported"
        var how: String
    }

    /// Writes the announcement to `output` (a new path) and fsyncs it.
    static func prepare(input: URL, output: URL, title: String, language: String) throws -> Prepared {
        guard FileManager.default.fileExists(atPath: input.path) else {
            throw IntakeError.inputMissing(path: input.path)
        }
        if isOggOpus(input) {
            let duration = try inspectOpus(input)
            guard let data = FileManager.default.contents(atPath: input.path) else {
                throw IntakeError.inputMissing(path: input.path)
            }
            try DurableFile.writeNew(data, at: output)
            return Prepared(durationSeconds: duration, how: "imported")
        }
        let duration = try encode(input, to: output, title: title, language: language)
        try DurableFile.sync(file: output)
        return Prepared(durationSeconds: duration, how: "encoded")
    }

    /// By content, not by name: "OggS" with an "OpusHead" first packet.
    static func isOggOpus(_ url: URL) -> Bool {
        guard let h = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? h.close() }
        guard let head = try? h.read(upToCount: 64), head.count >= 36 else { return false }
        return head.prefix(4) == Data("OggS".utf8) && head[28..<36] == Data("OpusHead".utf8)
    }

    /// Our own Ogg Opus reader (AudioEncode): any structural fault refuses the file.
    static func inspectOpus(_ url: URL) throws -> Double {
        let info = try OggOpusInspector.inspect(path: url.path)
        guard info.isValid else {
            throw IntakeError.invalidOpus(path: url.path, detail: info.faults.first ?? "not a valid Ogg Opus stream")
        }
        guard info.channels >= 1, info.durationSeconds > 0 else {
            throw IntakeError.invalidOpus(path: url.path, detail: "it holds no sound")
        }
        return info.durationSeconds
    }

    /// The project's speech pipeline (decode, mono, trim, −16 LUFS, Opus 16 kbps).
    static func encode(_ input: URL, to output: URL, title: String, language: String) throws -> Double {
        // A progress line for people at a terminal (long field recordings take a while).
        let progress: ((Double) -> Void)? = Console.stderrIsTerminal ? { fraction in
            FileHandle.standardError.write(Data("\rencoding \(input.lastPathComponent): \(Int(fraction * 100))%\u{1B}[K".utf8))
        } : nil
        defer { if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        let report = try AnnouncementEncoder.encode(input: input.path, output: output.path,
                                                    options: EncodeOptions(title: title, language: language), progress: progress)
        return report.durationSeconds
    }
}

enum IntakeError: Error, CustomStringConvertible {
    case inputMissing(path: String)
    case invalidOpus(path: String, detail: String)

    var description: String {
        switch self {
        case .inputMissing(let p): return "add: cannot read \(p): no such file. Check the path"
        case .invalidOpus(let p, let d): return "add: \(p) is not a valid Ogg Opus file (\(d)). Add the original recording instead, and psacaster will encode it"
        }
    }
}

extension CatalogStore {
    /// The one way into the catalog (add, record, receive): check the draft,
    /// encode or import into staging, then move it in. Unapproved.
    func addRecording(at input: URL, draft: Draft) throws -> (Announcement, AnnouncementIntake.Prepared) {
        if exists { try check(draft, against: try load()) }   // fail fast, before a long encode
        let staged = try stagingFile(extension: "opus")
        defer { unlink(staged.path) }   // gone already when it was moved in
        let prepared = try AnnouncementIntake.prepare(input: input, output: staged, title: draft.title, language: draft.language.canonical)
        var draft = draft
        draft.durationSeconds = prepared.durationSeconds
        return (try add(staged: staged, draft: draft), prepared)
    }
}
