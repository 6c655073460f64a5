// Placeholder: replaced by the work on its issue.
enum PlayCommand: Command {
    static let spec = CommandSpec(name: "play", summary: "Play an announcement through the speaker.", usage: "ID")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("play: not available in this build yet.")
        return 1
    }
}
