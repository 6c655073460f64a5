import Foundation

/// `psacaster play`: listen to an announcement (what a fluent speaker does
/// before approving). Ogg Opus is decoded by `opusdec` to a temporary WAV,
/// played by `aplay` (ALSA) or `paplay` (PulseAudio/PipeWire).
enum PlayCommand: Command {
    static let spec = CommandSpec(
        name: "play",
        summary: "Play an announcement through the speakers.",
        usage: "ID [--device DEV]",
        discussion: "Needs opusdec (Debian: opus-tools) and aplay (alsa-utils) or paplay (pulseaudio-utils).\n\(CatalogCLI.locationDiscussion)",
        positionals: [PositionalSpec(name: "ID", help: "The announcement's id (see 'psacaster list').")],
        options: [
            .value("device", "DEV", help: "ALSA playback device for aplay, e.g. plughw:0,0.", default: "the system default"),
            .value("player", "NAME", help: "aplay or paplay.", default: "aplay if installed, else paplay"),
            CatalogCLI.catalogOption,
        ],
        examples: ["psacaster play en-helpline-sample", "psacaster play vi-helpline --device plughw:1,0"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let store = CatalogCLI.store(args)
        let id = args.positional(0)!
        guard let a = try store.load().announcement(id: id) else { throw CatalogError.unknownAnnouncement(id: id) }
        _ = try store.verifiedContents(of: a)   // never play (and approve) something other than what is catalogued
        guard let opusdec = Executable.find("opusdec") else {
            throw PlayError("play: cannot decode Ogg Opus: opusdec is not installed. Install it with 'apt-get install opus-tools'")
        }
        let player: String
        if let chosen = args.value("player") {
            guard ["aplay", "paplay"].contains(chosen) else {
                throw UsageError.badValue("--player", value: chosen, expected: "aplay or paplay", command: "play")
            }
            guard let p = Executable.find(chosen) else { throw PlayError("play: \(chosen) is not installed. Install \(chosen == "aplay" ? "alsa-utils" : "pulseaudio-utils"), or choose the other --player") }
            player = p
        } else if let p = Executable.find("aplay") ?? Executable.find("paplay") {
            player = p
        } else {
            throw PlayError("play: no audio player found. Install alsa-utils (aplay) or pulseaudio-utils (paplay)")
        }
        let wav = FileManager.default.temporaryDirectory.appendingPathComponent("psacaster-play-\(getpid()).wav")
        defer { unlink(wav.path) }
        let decode = Executable.run(opusdec, ["--quiet", "--rate", "48000", store.fileURL(for: a).path, wav.path])
        guard decode.status == 0 else { throw PlayError("play: opusdec could not decode \(a.file) (\(decode.lastLine)). Run 'psacaster catalog verify'") }
        var playArgs = [wav.path]
        if let dev = args.value("device") {
            guard player.hasSuffix("aplay") else { throw UsageError.invalid("--device works with aplay only; paplay plays to the sound server's default.", command: "play") }
            playArgs = ["-D", dev] + playArgs
        }
        if player.hasSuffix("aplay") { playArgs.insert("-q", at: 0) }
        Console.note("Playing \(a.id) (\(CatalogCLI.duration(a.durationSeconds)), \(a.language)): \(a.title)")
        let played = Executable.run(player, playArgs)
        guard played.status == 0 else {
            throw PlayError("play: \((player as NSString).lastPathComponent) failed (\(played.lastLine)). Check a sound card is connected, or pick one with --device")
        }
        return 0
    }
}

struct PlayError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
