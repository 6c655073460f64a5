// Placeholder: replaced by the work on its issue.
enum InspectCommand: Command {
    static let spec = CommandSpec(name: "inspect", summary: "Check an Ogg Opus file and report its duration, tags and faults.", usage: "FILE.opus [--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("inspect: not available in this build yet.")
        return 1
    }
}
