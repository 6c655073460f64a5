// Placeholder: replaced by the work on its issue.
enum EncodeCommand: Command {
    static let spec = CommandSpec(name: "encode", summary: "Encode a recording into a small, loud Ogg Opus announcement.", usage: "INPUT [-o OUTPUT.opus] [options]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("encode: not available in this build yet.")
        return 1
    }
}
