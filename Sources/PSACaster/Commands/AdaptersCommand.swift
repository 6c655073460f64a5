import BlueZ
import Foundation

/// `psacaster adapters`: the local Bluetooth controllers and their state.
enum AdaptersCommand: Command {
    static let spec = CommandSpec(
        name: "adapters",
        summary: "List Bluetooth adapters.",
        usage: "[--json] [--setup [--adapter hciN] [--name NAME]]",
        discussion: """
            Shows each controller's address, visible name and state. Commands that use Bluetooth \
            take --adapter hciN; by default they use the first powered adapter. \
            --setup checks and sets what silent delivery needs: IO capability NoInputNoOutput \
            (Just Works pairing, no dialog on the phone), not bondable, and a neutral visible name \
            (phones show it on the lock screen). Setting needs root or CAP_NET_ADMIN.
            """,
        options: [
            .flag("json", help: "Print JSON instead of a table."),
            .flag("setup", help: "Check and set the adapter for silent delivery."),
            .value("adapter", "hciN", help: "Adapter for --setup.", default: "the first powered one"),
            .value("name", "NAME", help: "Visible name for --setup (leave empty to keep the current one)."),
        ],
        examples: ["psacaster adapters", "psacaster adapters --json", "sudo psacaster adapters --setup --name 'Info Point'"])

    struct Row: Encodable {
        let adapter: String
        let address: String
        let name: String?
        let powered: Bool
        let up: Bool
        let rfkillBlocked: Bool
        let discoverable: Bool?
        let bondable: Bool?
        let classOfDevice: String?
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        if args.flag("setup") { return try setup(args) }
        let adapters = try Adapter.list()
        let rows = adapters.map { a in
            Row(adapter: a.name, address: a.address.description, name: a.localName, powered: a.isPowered, up: a.isUp,
                rfkillBlocked: a.rfkillBlocked, discoverable: a.settings.map { $0.contains(.discoverable) },
                bondable: a.settings.map { $0.contains(.bondable) }, classOfDevice: a.classOfDevice?.description)
        }
        if args.flag("json") {
            try Console.printJSON(rows)
            return adapters.isEmpty ? 1 : 0
        }
        guard !adapters.isEmpty else { throw BlueZError.noAdapter }
        print(pad("ADAPTER", 8) + pad("ADDRESS", 19) + pad("STATE", 14) + "NAME")
        for a in adapters {
            let state = a.rfkillBlocked ? "rfkill-blocked" : (a.isUp ? "up" : "down")
            print(pad(a.name, 8) + pad(a.address.description, 19) + pad(state, 14) + (a.localName ?? "?"))
        }
        return 0
    }

    static func setup(_ args: ParsedArguments) throws -> Int32 {
        let adapter = try Adapter.select(args.value("adapter"))
        let name = args.value("name").flatMap { $0.isEmpty ? nil : $0 }
        if let name, name.utf8.count > 248 {
            throw UsageError.badValue("--name", value: name, expected: "at most 248 bytes", command: spec.name)
        }
        let report = AdapterSettings.apply(to: adapter, name: name)
        for p in report.problems { Console.error(p.description) }
        let changed = report.changed.isEmpty ? "nothing to change" : report.changed.joined(separator: ", ")
        Console.note("\(adapter.name): NoInputNoOutput, not bondable\(name.map { ", name '\($0)'" } ?? ""): \(report.isClean ? "ok" : "incomplete") (\(changed))")
        return report.isClean ? 0 : 1
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
