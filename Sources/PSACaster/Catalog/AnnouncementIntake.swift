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

    // Until AudioEncode's encoder and inspector land on main, the checks go
    // through opus-tools, the same outside tools the tests judge files with.

    static func inspectOpus(_ url: URL) throws -> Double {
        let (status, out) = run("/usr/bin/opusinfo", [url.path])
        guard status == 0, let duration = parsePlaybackLength(out) else {
            throw IntakeError.invalidOpus(path: url.path, detail: out.split(separator: "\n").first(where: { $0.contains("WARNING") || $0.contains("ERROR") }).map(String.init) ?? "opusinfo rejected it")
        }
        return duration
    }

    static func encode(_ input: URL, to output: URL, title: String, language: String) throws -> Double {
        let (status, out) = run("/usr/bin/opusenc", ["--quiet", "--bitrate", "16", "--speech", "--framesize", "40",
                                                     "--title", title, "--comment", "LANGUAGE=\(language)", input.path, output.path])
        guard status == 0 else {
            unlink(output.path)
            throw IntakeError.encodeFailed(path: input.path, detail: out.split(separator: "\n").last.map(String.init) ?? "encoder failed")
        }
        return try inspectOpus(output)
    }

    static func parsePlaybackLength(_ text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Playback length:") }) else { return nil }
        let value = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)   // "0m:03.456s"
        let parts = value.replacingOccurrences(of: "s", with: "").split(separator: ":")
        guard parts.count == 2, let m = Double(parts[0].replacingOccurrences(of: "m", with: "")), let s = Double(parts[1]) else { return nil }
        return m * 60 + s
    }

    private static func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
        let r = Executable.run(tool, arguments)
        return (r.status, r.output)
    }
}

enum IntakeError: Error, CustomStringConvertible {
    case inputMissing(path: String)
    case invalidOpus(path: String, detail: String)
    case encodeFailed(path: String, detail: String)

    var description: String {
        switch self {
        case .inputMissing(let p): return "add: cannot read \(p): no such file. Check the path"
        case .invalidOpus(let p, let d): return "add: \(p) is not a valid Ogg Opus file (\(d)). Add the original recording instead, and psacaster will encode it"
        case .encodeFailed(let p, let d): return "add: cannot encode \(p) (\(d)). Check it is an audio recording that plays, or convert it to WAV first"
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
