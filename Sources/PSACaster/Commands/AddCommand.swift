import Foundation

/// `psacaster add`: a recording (encoded) or a finished .opus (checked, then
/// imported) enters the catalog unapproved.
enum AddCommand: Command {
    static let spec = CommandSpec(
        name: "add",
        summary: "Add a recording or .opus file to the catalog (unapproved until vetted).",
        usage: "RECORDING --lang CODE --title TEXT [options]",
        discussion: """
        Encodes the recording into a small Ogg Opus announcement (or checks and imports an existing \
        .opus file) and stores it in the language's folder. It stays unapproved, and is never \
        broadcast, until a fluent speaker runs 'psacaster approve'.
        The file name phones show comes from the title unless --file-name is given: keep it neutral.
        \(CatalogCLI.locationDiscussion)
        """,
        positionals: [PositionalSpec(name: "RECORDING", help: "Audio file (WAV, FLAC, MP3, Ogg, …) or an .opus announcement.")],
        options: [
            .value("lang", "CODE", help: "BCP 47 language code: my, km, lo, tl, vi, id, th, en, …"),
            .value("title", "TEXT", help: "Title staff see in 'list' (unique within the language)."),
            .value("helpline", "TEXT", help: "The helpline number or text the announcement speaks."),
            .value("file-name", "NAME", help: "Neutral ASCII name phones receive (ends in .opus).", default: "derived from the title"),
            .value("source", "KIND", help: "Where it came from: imported, recorded, received or sample.", default: "imported"),
            CatalogCLI.catalogOption,
            .flag("json", help: "Print the new announcement as JSON."),
        ],
        examples: [
            "psacaster add helpline-vi.wav --lang vi --title \"Helpline (Vietnamese)\" --helpline \"1800 0000\"",
            "psacaster add phone-recording.m4a --lang my --title \"Helpline, Burmese\" --file-name info-my.opus",
        ])

    static let sources = ["imported", "recorded", "received", "sample"]

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let input = URL(fileURLWithPath: args.positional(0)!)
        let draft = try draft(from: args, source: args.value("source") ?? "imported")
        let (a, prepared) = try CatalogCLI.store(args).addRecording(at: input, draft: draft)
        if args.flag("json") { try Console.printJSON(a); return 0 }
        print("Added \(a.id): \"\(a.title)\" [\(a.language), \(CatalogCLI.duration(a.durationSeconds)), \(CatalogCLI.size(a.sizeBytes)), \(prepared.how)] as \(a.file).")
        print("It is unapproved. After a fluent speaker has listened to it: psacaster approve \(a.id) --by NAME")
        return 0
    }

    /// The checks add and record share (both declare these options):
    /// language, title, file name, helpline.
    static func draft(from args: ParsedArguments, source: String) throws -> CatalogStore.Draft {
        let name = args.spec.name
        guard let langText = args.value("lang") else {
            throw UsageError.invalid("--lang CODE is required (the language spoken, e.g. --lang my). Run 'psacaster \(name) --help'.", command: name)
        }
        guard let title = args.value("title") else {
            throw UsageError.invalid("--title TEXT is required (what staff will see in 'list'). Run 'psacaster \(name) --help'.", command: name)
        }
        let language: LanguageTag
        do { language = try LanguageTag(langText) } catch { throw UsageError.invalid(String(describing: error), command: name) }
        let cleanTitle = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cleanTitle.isEmpty else { throw CatalogError.badTitle(reason: "it is empty") }
        guard cleanTitle.count <= 120 else { throw CatalogError.badTitle(reason: "it is longer than 120 characters") }
        guard !cleanTitle.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CatalogError.badTitle(reason: "it contains control characters")
        }
        guard sources.contains(source) else {
            throw UsageError.badValue("--source", value: source, expected: sources.joined(separator: ", "), command: name)
        }
        var fileName: String?
        if var f = args.value("file-name") {
            if !f.lowercased().hasSuffix(".opus") { f += ".opus" }
            guard DeliveryName.isValid(f) else {
                throw CatalogError.badFileName(name: f, reason: "only ASCII letters, digits, '-', '_' and '.', at most \(DeliveryName.maxLength) characters")
            }
            fileName = f
        }
        let helpline = args.value("helpline")?.trimmingCharacters(in: .whitespacesAndNewlines)
        return CatalogStore.Draft(title: cleanTitle, language: language, helpline: helpline?.isEmpty == true ? nil : helpline,
                                  source: source, durationSeconds: 0, fileName: fileName)
    }
}
