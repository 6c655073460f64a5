import Foundation

/// `psacaster status`: the aggregate counts the service saved, and what the
/// running service is doing now (from its live-state file).
enum StatusCommand: Command {
    static let spec = CommandSpec(
        name: "status",
        summary: "Show the aggregate counts and the live state of the service.",
        usage: "[--config FILE] [--state-dir DIR] [--json]",
        discussion: "Counts are per hour and per announcement; nothing identifies a phone.",
        options: [
            .value("config", "FILE", help: "The service's config file, to find its state directory.", default: BroadcastCommand.defaultConfigPath),
            .value("state-dir", "DIR", help: "Where the service keeps stats.json and live.json.", default: ServiceConfig.defaultStateDirectory),
            .value("hours", "N", help: "How many recent hours to list.", default: "6"),
            .flag("json", help: "Print JSON for scripts."),
        ],
        examples: ["psacaster status", "psacaster status --json"])

    struct Report: Encodable {
        var running: Bool
        var live: LiveState?
        var totals: ServiceStats.Counts
        var announcements: [String: ServiceStats.Counts]
        var hours: [ServiceStats.Hour]
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let config = try BroadcastCommand.resolveConfig(configPath: args.value("config"), explicitConfig: args.value("config") != nil)
        var stateDir = config.stateDirectory
        if let d = args.value("state-dir") { stateDir = d }
        let hoursShown = try args.integer("hours", default: 6, in: 0...10_000)
        let statsPath = (stateDir as NSString).appendingPathComponent("stats.json")
        let livePath = (stateDir as NSString).appendingPathComponent("live.json")
        var stats = ServiceStats()
        if FileManager.default.fileExists(atPath: statsPath) {
            do { stats = try StatsStore.load(path: statsPath) } catch {
                Console.error("status: cannot read \(statsPath): \(error). The service sets an unreadable file aside at its next start")
                return 1
            }
        }
        let live = LiveState.read(path: livePath)
        let running = live?.isCurrent() ?? false
        let report = Report(running: running, live: running ? live : nil, totals: stats.totals,
                            announcements: stats.perAnnouncement, hours: Array(stats.hours.suffix(hoursShown)))
        if args.flag("json") {
            try Console.printJSON(report)
            return 0
        }
        print(render(report, stateDir: stateDir, since: stats.hours.first?.hour), terminator: "")
        return 0
    }

    static func render(_ r: Report, stateDir: String, since: String?) -> String {
        var out = ""
        if let l = r.live {
            out += "Service: running for \(duration(l.uptimeSeconds)) (pid \(l.pid)), \(l.radio) radio\(l.stopping ? ", stopping" : "")\n"
            out += "Campaign: \(l.campaign) (\(l.announcements.isEmpty ? "nothing approved to send" : l.announcements.joined(separator: ", ")))\n"
            out += "Transfers in progress: \(l.transfersInProgress) (up to \(l.maxTransfersPerAdapter) per adapter)\n"
            if l.adapters.isEmpty { out += "Adapters: none yet\n" }
            for a in l.adapters {
                out += "  \(a.name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(a.state.padding(toLength: 9, withPad: " ", startingAt: 0)) \(a.transfers) transfer\(a.transfers == 1 ? "" : "s")"
                if let p = a.problem, a.state != "scanning" { out += "  (\(p))" }
                out += "\n"
            }
        } else {
            out += "Service: not running (no live state in \(stateDir))\n"
        }
        out += "\nPhones\(since.map { " since \($0)" } ?? ""):\n"
        out += "  " + counts(r.totals, phones: true) + "\n"
        if !r.announcements.isEmpty {
            out += "\nPer announcement:\n"
            let w = max(12, r.announcements.keys.map(\.count).max() ?? 0)
            for id in r.announcements.keys.sorted() {
                out += "  \(id.padding(toLength: w, withPad: " ", startingAt: 0))  " + counts(r.announcements[id]!, phones: false) + "\n"
            }
        }
        if !r.hours.isEmpty {
            out += "\nRecent hours (UTC):\n"
            for h in r.hours { out += "  \(h.hour)  " + counts(h.phones, phones: true) + "\n" }
        }
        return out
    }

    static func counts(_ c: ServiceStats.Counts, phones: Bool) -> String {
        phones
            ? "seen \(c.seen)  offered \(c.offered)  served \(c.delivered)  declined \(c.declined)  failed \(c.failed)  cannot receive \(c.cannotReceive)"
            : "offered \(c.offered)  delivered \(c.delivered)  declined \(c.declined)  failed \(c.failed)"
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s)
        if t < 60 { return "\(t) s" }
        if t < 3600 { return "\(t / 60) min \(t % 60) s" }
        return "\(t / 3600) h \(t % 3600 / 60) min"
    }
}
