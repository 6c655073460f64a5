import Foundation

/// `psacaster broadcast`: the unattended service (see BroadcastService).
enum BroadcastCommand: Command {
    static let defaultConfigPath = "/etc/psacaster/psacaster.json"

    static let spec = CommandSpec(
        name: "broadcast",
        summary: "Run the unattended service: offer announcements to each phone in range, once.",
        usage: "[--config FILE] [--catalog DIR] [--adapter hciN ...] [--simulate SPEC]",
        discussion: """
        Runs until stopped (SIGTERM or Ctrl-C); SIGHUP reloads the config and the catalog.
        Phones are remembered only as keyed hashes in memory; only counts are saved
        (see 'psacaster status'). Settings: docs/config.md.
        --simulate runs the real service against simulated phones on loopback TCP
        instead of Bluetooth, e.g. --simulate demo, or
        --simulate accept=8,decline=2,vanish=1,silent=1,noopp=1,decide=1-3,arrive=10
        """,
        options: [
            .value("config", "FILE", help: "Settings file (JSON).", default: defaultConfigPath + " if present"),
            .value("catalog", "DIR", help: "The catalog folder (overrides the config).", default: "Audio"),
            .repeated("adapter", "hciN", help: "Use this adapter (overrides the config; default: every adapter)."),
            .value("transfers", "N", help: "Transfers at once per adapter, 1 to 7 (overrides the config)."),
            .value("state-dir", "DIR", help: "Where stats.json and live.json go (overrides the config)."),
            .value("duration", "SECONDS", help: "Stop by itself after this long (demos, benchmarks)."),
            .value("simulate", "SPEC", help: "Simulated phones instead of Bluetooth (see above)."),
            .value("log-level", "LEVEL", help: "debug, info, warning or error (overrides the config)."),
        ],
        examples: [
            "psacaster broadcast --config /etc/psacaster/psacaster.json",
            "psacaster broadcast --catalog Audio --adapter hci0 --adapter hci1",
            "psacaster broadcast --simulate demo --state-dir /tmp/psa-demo",
        ])

    /// The config file if given (or present at the default place), else defaults.
    static func resolveConfig(configPath: String?, explicitConfig: Bool) throws -> ServiceConfig {
        let path = configPath ?? defaultConfigPath
        if explicitConfig || FileManager.default.fileExists(atPath: path) {
            return try ServiceConfig.load(path: path)
        }
        return ServiceConfig()
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let configPath = args.value("config") ?? (FileManager.default.fileExists(atPath: defaultConfigPath) ? defaultConfigPath : nil)
        var config: ServiceConfig
        do { config = try resolveConfig(configPath: configPath, explicitConfig: configPath != nil) } catch {
            Console.error("broadcast: \(error)")
            return 1
        }
        if let c = args.value("catalog") { config.catalogDirectory = c }
        if !args.values("adapter").isEmpty {
            for a in args.values("adapter") where !ServiceConfig.isAdapterName(a) {
                throw UsageError.badValue("--adapter", value: a, expected: "an adapter name like hci0 (see 'psacaster adapters')", command: "broadcast")
            }
            config.adapters = args.values("adapter")
        }
        config.transfersPerAdapter = try args.integer("transfers", default: config.transfersPerAdapter, in: 1...ServiceConfig.maxTransfersPerAdapter)
        if let d = args.value("state-dir") { config.stateDirectory = d }
        if let l = args.value("log-level") {
            guard let level = ServiceLog.Level(name: l) else {
                throw UsageError.badValue("--log-level", value: l, expected: "debug, info, warning or error", command: "broadcast")
            }
            config.logLevel = level
        }
        let duration: Double? = args.value("duration") == nil ? nil : try args.decimal("duration", default: 0, in: 0.1...1e9)

        var simulation: PhoneSimulation?
        if let spec = args.value("simulate") {
            let s: SimulationSpec
            do { s = try SimulationSpec.parse(spec) } catch {
                throw UsageError.invalid("\(error)", command: "broadcast")
            }
            do { simulation = try PhoneSimulation(spec: s) } catch {
                Console.error("broadcast: cannot start the simulated phones: \(error)")
                return 1
            }
            if config.adapters.isEmpty { config.adapters = simulation!.radio.adapterNames() }
            if configPath == nil { s.applyDefaults(to: &config) }
            let arrive = s.arrive > 0 ? String(format: " arriving over %.0f s", s.arrive) : ""
            print("Simulating \(s.phoneCount) phones\(arrive) on \(s.adapters) adapter\(s.adapters == 1 ? "" : "s"): the real service runs against them, its log follows.")
            fflush(stdout)
        }

        do {
            try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        } catch {
            Console.error("broadcast: cannot create the state directory \(config.stateDirectory): \((error as NSError).localizedDescription). Give a writable one with --state-dir or \"stateDirectory\"")
            return 1
        }

        let log = ServiceLog(minimum: config.logLevel)
        let radio: Radio = simulation?.radio ?? BlueZRadio(log: log)
        let pusher = OBEXPusher()
        pusher.reportOurBug = { log.error("a phone refused our request as malformed: \($0). This is a bug in psacaster; please report it") }
        let service: BroadcastService
        do {
            service = try BroadcastService(config: config, radio: radio, pusher: pusher, log: log,
                                           loadContent: { try CampaignContent.load(catalog: $0.catalogDirectory, choice: $0.campaign) })
        } catch {
            Console.error("broadcast: \(error)")
            return 1
        }
        service.configPath = configPath
        service.overrides = (args.value("catalog"), args.values("adapter"))

        let signals = SignalHandlers()
        signals.onStop = { service.stop() }
        signals.onSecondStop = { service.stats.flush(); exit(1) }
        signals.onReload = { service.requestReload() }
        simulation?.start()
        service.start()
        if let duration {
            DispatchQueue.global().asyncAfter(deadline: .now() + duration) { service.stop() }
        } else if let simulation {
            DispatchQueue.global().async {
                simulation.waitUntilSettled(service: service)
                service.stop()
            }
        }
        service.waitUntilFinished()
        if let simulation {
            simulation.stop()
            print(simulation.summary(), terminator: "")
        }
        withExtendedLifetime(signals) {}
        return 0
    }
}

/// SIGTERM/SIGINT stop the service (a second one exits at once); SIGHUP reloads.
final class SignalHandlers {
    var onStop: () -> Void = {}
    var onSecondStop: () -> Void = {}
    var onReload: () -> Void = {}
    private var sources: [DispatchSourceSignal] = []
    private var stops = 0
    private let queue = DispatchQueue(label: "signals")

    init() {
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { [weak self] in self?.handle(sig) }
            s.resume()
            sources.append(s)
        }
    }

    private func handle(_ sig: Int32) {
        if sig == SIGHUP { onReload(); return }
        stops += 1
        if stops == 1 {
            let stop = onStop
            DispatchQueue.global().async { stop() }
        } else {
            onSecondStop()
        }
    }
}
