import Foundation

/// `psacaster record`: a USB microphone on the Pi straight into the catalog
/// (through `add`: encoded, unapproved until a fluent speaker approves it).
enum RecordCommand: Command {
    static let spec = CommandSpec(
        name: "record",
        summary: "Record an announcement from a microphone (ALSA).",
        usage: "--lang CODE --title TEXT [options]",
        discussion: """
        Records 16-bit mono from the ALSA device with a live level meter (and a warning when the \
        input clips), stops on Enter or at --max-seconds (Ctrl-C cancels), then adds the recording \
        to the catalog like 'psacaster add': encoded, unapproved until a fluent speaker approves it.
        List microphones with 'arecord -l'; card 1 device 0 is --device plughw:1,0.
        \(CatalogCLI.locationDiscussion)
        """,
        options: [
            .value("lang", "CODE", help: "BCP 47 language code of what you will say: my, km, lo, tl, vi, id, th, en, …"),
            .value("title", "TEXT", help: "Title staff see in 'list' (unique within the language)."),
            .value("helpline", "TEXT", help: "The helpline number or text the announcement speaks."),
            .value("file-name", "NAME", help: "Neutral ASCII name phones receive (ends in .opus).", default: "derived from the title"),
            .value("device", "DEV", help: "ALSA capture device.", default: "default"),
            .value("max-seconds", "N", help: "Stop recording after N seconds (1 to 300).", default: "120"),
            CatalogCLI.catalogOption,
            .flag("json", help: "Print the new announcement as JSON."),
        ],
        examples: ["psacaster record --lang km --title \"Helpline, Khmer\" --device plughw:1,0",
                   "psacaster record --lang en --title \"Night market\" --max-seconds 45"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let draft = try AddCommand.draft(from: args, source: "recorded")
        let maxSeconds = try args.integer("max-seconds", default: 120, in: 1...300)
        let store = CatalogCLI.store(args)
        // Refuse a duplicate title before anyone speaks for two minutes.
        if store.exists { try store.check(draft, against: try store.load()) }
        let capture = try ALSACapture(device: args.value("device") ?? "default")
        let wav = try store.stagingFile(extension: "wav")
        defer { unlink(wav.path) }
        let summary = try RecordingSession(capture: capture, maxSeconds: maxSeconds).run(into: try WAVFileWriter(path: wav.path, rate: capture.rate))
        guard summary.seconds >= 0.5 else { throw RecordingError.tooShort(seconds: summary.seconds) }
        guard summary.loudestDBFS >= LevelMeter.silenceFloorDBFS else { throw RecordingError.silent(device: capture.device) }
        let clipped = summary.clippedBlocks > 0 ? ", clipped in \(summary.clippedBlocks) moments: listen before approving" : ""
        Console.note("Recorded \(String(format: "%.1f", summary.seconds)) s (stopped by \(summary.stoppedBy), loudest \(Int(summary.loudestDBFS.rounded())) dBFS\(clipped)).")
        let (a, _) = try store.addRecording(at: wav, draft: draft)
        if args.flag("json") { try Console.printJSON(a); return 0 }
        print("Added \(a.id): \"\(a.title)\" [\(a.language), \(CatalogCLI.duration(a.durationSeconds)), \(CatalogCLI.size(a.sizeBytes))] as \(a.file).")
        print("It is unapproved. Listen with 'psacaster play \(a.id)'; after a fluent speaker has checked it: psacaster approve \(a.id) --by NAME")
        return 0
    }
}
