// Placeholder: replaced by the work on its issue.
enum ScanCommand: Command {
    static let spec = CommandSpec(name: "scan", summary: "Find nearby Bluetooth devices and whether they can receive files.", usage: "[--duration S] [--json]")
    static func run(_ args: ParsedArguments) throws -> Int32 {
        Console.error("scan: not available in this build yet.")
        return 1
    }
}
