import AudioEncode
import Foundation

/// `psacaster inspect`: our own Ogg Opus reader's verdict on a file.
enum InspectCommand: Command {
    static let spec = CommandSpec(
        name: "inspect",
        summary: "Check an Ogg Opus file and report its duration, tags and faults.",
        usage: "FILE.opus [--json]",
        discussion: "Exits 0 when the file is a valid Ogg Opus stream, 1 when it has structural faults (CRC, granule positions, end of stream, header fields).",
        positionals: [PositionalSpec(name: "file", help: "The .opus file to check.")],
        options: [.flag("json", help: "Print the report as JSON.")],
        examples: ["psacaster inspect Audio/helpline-vi.opus", "psacaster inspect announcement.opus --json"])

    struct Output: Encodable {
        let path: String
        let info: OggOpusInfo
        func encode(to encoder: Encoder) throws {
            try info.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(path, forKey: .path)
        }
        enum Key: String, CodingKey { case path }
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let path = args.positional(0)!
        let info = try OggOpusInspector.inspect(path: path)
        if args.flag("json") {
            try Console.printJSON(Output(path: path, info: info))
        } else {
            print("\(path): \(info.isValid ? "valid Ogg Opus" : "INVALID")")
            print(String(format: "  duration     %.3f s (%d samples at 48 kHz)", info.durationSeconds, info.decodedSamples48k))
            print("  size         \(info.sizeBytes) bytes, \(String(format: "%.1f", info.averageBitrateKbps)) kbps, \(info.pageCount) pages, \(info.audioPacketCount) packets")
            print("  header       \(info.channels) ch, pre-skip \(info.preSkip), input rate \(info.inputSampleRate) Hz, gain \(info.outputGainDB) dB")
            print("  vendor       \(info.vendor)")
            for tag in info.tags { print("  tag          \(tag.key)=\(tag.value)") }
            for fault in info.faults { print("  fault        \(fault)") }
        }
        if !info.isValid {
            if !args.flag("json") {
                Console.error("inspect: '\(path)' is not a valid Ogg Opus file: \(info.faults.first ?? "unknown fault"). Re-encode it with 'psacaster encode'.")
            }
            return 1
        }
        return 0
    }
}
