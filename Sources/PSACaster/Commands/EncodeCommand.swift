import AudioEncode
import Foundation

/// `psacaster encode`: a recording in, a small, loud Ogg Opus announcement out.
enum EncodeCommand: Command {
    static let spec = CommandSpec(
        name: "encode",
        summary: "Encode a recording into a small, loud Ogg Opus announcement.",
        usage: "INPUT [-o OUTPUT.opus] [--lang CODE] [--title TEXT] [--bitrate KBPS] [--json]",
        discussion: """
        Reads WAV, FLAC, AIFF, Ogg Vorbis/Opus and MP3 (M4A/AAC, 3GP/AMR through ffmpeg when
        installed), mixes to mono, trims silence, normalises to -16 LUFS with a true-peak
        limiter and encodes speech-tuned Opus. The output is written atomically.
        """,
        positionals: [PositionalSpec(name: "input", help: "The recording to encode.")],
        options: [
            .value("output", short: "o", "OUTPUT.opus", help: "Where to write the announcement.", default: "INPUT's name with .opus"),
            .value("lang", "CODE", help: "Language tag written into the file (e.g. vi, th, my)."),
            .value("title", "TEXT", help: "Title tag written into the file (phones show it)."),
            .value("bitrate", "KBPS", help: "Opus bitrate, 6 to 64.", default: "16"),
            .value("max-seconds", "SECONDS", help: "Refuse inputs longer than this.", default: "300"),
            .flag("no-trim", help: "Keep leading and trailing silence."),
            .flag("no-loudness", help: "Do not normalise loudness or limit peaks (for like-for-like comparisons)."),
            .flag("json", help: "Print the report as JSON."),
            .flag("quiet", short: "q", help: "No progress line."),
        ],
        examples: [
            "psacaster encode helpline-vi.wav --lang vi --title \"Helpline\"",
            "psacaster encode memo.m4a -o Audio/helpline-th.opus --lang th --json",
        ])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let input = args.positional(0)!
        var options = EncodeOptions()
        options.title = args.value("title")
        options.language = args.value("lang")
        options.bitrateKbps = try args.integer("bitrate", default: 16, in: EncodeOptions.bitrateRange)
        options.maxSeconds = try args.decimal("max-seconds", default: 300, in: 1...86_400)
        options.trimSilence = !args.flag("no-trim")
        options.normalizeLoudness = !args.flag("no-loudness")
        if let lang = options.language, lang.isEmpty || lang.count > 35 || !lang.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            throw UsageError.badValue("--lang", value: lang, expected: "a language code such as vi, th or pt-BR", command: spec.name)
        }
        let output = args.value("output") ?? AnnouncementEncoder.defaultOutputPath(forInput: input)
        if !output.lowercased().hasSuffix(".opus") {
            Console.note("warning: '\(output)' does not end in .opus; older Android phones pick the file type from the extension and may refuse it.")
        }
        let showProgress = !args.flag("quiet") && !args.flag("json") && Console.stderrIsTerminal
        var progressShown = false
        let started = Date()
        let report = try AnnouncementEncoder.encode(input: input, output: output, options: options) { fraction in
            // Only for inputs that take a moment: no flicker for short clips.
            guard showProgress, Date().timeIntervalSince(started) > 0.5 else { return }
            progressShown = true
            FileHandle.standardError.write(Data("\rencoding \(URL(fileURLWithPath: input).lastPathComponent): \(Int(fraction * 100))%".utf8))
        }
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if args.flag("json") {
            try Console.printJSON(report)
        } else {
            print(summary(report))
        }
        return 0
    }

    static func summary(_ r: EncodeReport) -> String {
        func db(_ v: Double?, _ unit: String) -> String { v.map { String(format: "%.1f %@", $0, unit) } ?? "n/a" }
        var lines = ["wrote \(r.outputPath)"]
        lines.append(String(format: "  duration   %.2f s (input %.2f s, trimmed %.2f s + %.2f s)", r.durationSeconds, r.inputSeconds, r.trimmedLeadingSeconds, r.trimmedTrailingSeconds))
        lines.append(String(format: "  size       %d bytes, %.1f kbps (target %d)", r.outputBytes, r.averageBitrateKbps, r.bitrateKbps))
        lines.append("  loudness   \(db(r.loudnessBeforeLUFS, "LUFS")) -> \(db(r.loudnessAfterLUFS, "LUFS")), true peak \(db(r.truePeakDBTP, "dBTP"))")
        lines.append("  input      \(r.inputFormat), \(r.inputSampleRate) Hz, \(r.inputChannels) ch")
        return lines.joined(separator: "\n")
    }
}
