import BlueZ
import Foundation

/// `psacaster scan`: an operator's view of the phones around. It prints
/// addresses and names to the terminal only; nothing is stored or logged.
enum ScanCommand: Command {
    static let spec = CommandSpec(
        name: "scan",
        summary: "Find nearby Bluetooth devices and whether they can receive files.",
        usage: "[--duration S] [--adapter hciN] [--no-names] [--json]",
        discussion: """
            Runs short inquiry windows (2.56 s each) for the given time and lists every device \
            found: address, signal strength (RSSI, dBm), class, name, and whether it says it can \
            receive files (Object Transfer class bit or Object Push in its inquiry response). \
            Phones are discoverable only while their Bluetooth settings are open. \
            Needs root or: sudo setcap cap_net_raw,cap_net_admin+eip $(command -v psacaster)
            """,
        options: [
            .value("duration", "S", help: "How long to scan, in seconds.", default: "6"),
            .value("adapter", "hciN", help: "Adapter to use.", default: "the first powered one"),
            .flag("no-names", help: "Do not ask devices without a name in their inquiry response for it."),
            .flag("json", help: "Print JSON instead of a table."),
        ],
        examples: ["psacaster scan", "psacaster scan --duration 15 --json"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let duration = try args.decimal("duration", default: 6, in: 1...600)
        let adapter = try Adapter.select(args.value("adapter"))
        let scanner = try InquiryScanner(adapter: adapter)
        let json = args.flag("json")
        if !json { Console.note("Scanning on \(adapter.name) for \(formatSeconds(duration)) s…") }
        let devices = try scanner.scan(duration: duration, resolveNames: !args.flag("no-names"))
        if json {
            try Console.printJSON(devices)
            return 0
        }
        if devices.isEmpty {
            Console.note("No devices found. Phones are discoverable only while their Bluetooth settings screen is open.")
            return 0
        }
        print(row("ADDRESS", "RSSI", "CLASS", "CAN RECEIVE", "NAME"))
        for d in devices {
            let cls = d.classOfDevice.map { "\($0.kind) (\($0))" } ?? "?"
            print(row(d.address.description, d.rssi.map(String.init) ?? "?", cls, d.canReceive ? "yes" : "no", d.name ?? "?"))
        }
        return 0
    }

    static func row(_ a: String, _ r: String, _ c: String, _ ok: String, _ n: String) -> String {
        AdaptersCommand.pad(a, 19) + AdaptersCommand.pad(r, 6) + AdaptersCommand.pad(c, 29) + AdaptersCommand.pad(ok, 13) + n
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
    }
}
