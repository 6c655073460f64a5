// Placeholder: replaced by the work on its issue.
enum RecordCommand: Command {
    static let spec = CommandSpec(name: "record", summary: "Record an announcement from a microphone (ALSA).", usage: "--lang CODE --title TEXT [options]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("record: not available in this build yet.")
        return 1
    }
}
