import BlueZ
import Foundation
import OBEXPush

/// `psacaster push FILE... --tcp HOST[:PORT] | --to ADDR[@CHANNEL]`:
/// offers each file to one receiver in one OBEX session and prints one line
/// per file. Exit 0 only when every file was delivered.
enum PushCommand: Command {
    static let spec = CommandSpec(
        name: "push",
        summary: "Send files to one device over OBEX Object Push.",
        usage: "FILE... (--to ADDR[@CHANNEL] [--adapter hciN] | --tcp HOST[:PORT]) [options]",
        discussion: """
        Offers every FILE in one session, in order. The phone's user is asked to accept; \
        the first answer may take a minute. After a decline the remaining files are not offered \
        (Android declines them itself). Ctrl-C cancels politely (ABORT, DISCONNECT).
        """,
        positionals: [PositionalSpec(name: "FILE", help: "Files to send (.opus goes as audio/ogg).", repeating: true)],
        options: [
            .value("to", "ADDR[@CHANNEL]", help: "Bluetooth address of the phone, optionally with its RFCOMM channel."),
            .value("adapter", "hciN", help: "Bluetooth adapter to send from (with --to)."),
            .value("tcp", "HOST[:PORT]", help: "Send over TCP instead (tests and tools).", default: "port 650"),
            .value("connect-timeout", "SECONDS", help: "Wait for the connection and the CONNECT answer.", default: "20"),
            .value("decision-timeout", "SECONDS", help: "Wait for the phone's user to accept each file.", default: "60"),
            .value("packet-timeout", "SECONDS", help: "Wait for each later packet.", default: "15"),
            .flag("json", help: "Print the outcomes as JSON."),
        ],
        examples: [
            "psacaster push helpline-en.opus --tcp 127.0.0.1:6500",
            "psacaster push helpline-en.opus helpline-tl.opus --to 00:1A:7D:DA:71:13@12",
        ])

    enum Target: Equatable {
        case tcp(host: String, port: UInt16)
        case rfcomm(address: String, channel: UInt8?, adapter: String?)

        var display: String {
            switch self {
            case .tcp(let h, let p): return h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
            case .rfcomm(let a, let c, _): return c.map { "\(a)@\($0)" } ?? a
            }
        }
    }

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let target = try parseTarget(args)
        var timeouts = ObjectPushClient.Timeouts()
        timeouts.connect = try args.decimal("connect-timeout", default: 20, in: 0.1...600)
        timeouts.decision = try args.decimal("decision-timeout", default: 60, in: 0.1...3600)
        timeouts.transfer = try args.decimal("packet-timeout", default: 15, in: 0.1...600)
        let json = args.flag("json")

        // Every file is checked before the phone is disturbed.
        var objects: [PushObject] = []
        for path in args.positionals {
            do { objects.append(try PushObject(contentsOf: path)) } catch {
                Console.error("push: \(error).")
                return 1
            }
        }

        let transport: Transport
        do {
            transport = try openTransport(target, deadline: .after(seconds: timeouts.connect))
        } catch {
            // Bluetooth explanations only for Bluetooth targets: a refused TCP
            // connect is not a phone without Object Push.
            var bluetooth: BlueZError?
            if case .rfcomm = target { bluetooth = bluetoothError(error) }
            let outcome: DeliveryOutcome
            if case .rfcomm = target { outcome = connectOutcome(error) }
            else { outcome = (error as? TransportError) == .timedOut ? .timedOut(step: .connect) : .linkLost(step: .connect) }
            let results = objects.map { Result(object: $0, outcome: outcome, seconds: 0) }
            if json { try Console.printJSON(Report(target: target.display, results: results)) }
            else { results.forEach { print($0.line) } }
            if let e = bluetooth {
                Console.error("push: \(target.display): \(e.why). \(e.fix).")
            } else {
                Console.error("push: cannot connect to \(target.display): \(describe(error)). \(connectAdvice(target))")
            }
            return 1
        }

        let client = ObjectPushClient(transport: transport, timeouts: timeouts)
        let signals = cancelOnSignals(client)
        defer { signals.forEach { $0.cancel() } }
        var results: [Result] = []
        var started = Date()
        _ = client.deliver(objects) { index, outcome in
            let result = Result(object: objects[index], outcome: outcome, seconds: Date().timeIntervalSince(started))
            started = Date()
            results.append(result)
            if !json { print(result.line); fflush(stdout) }
        }
        if json { try Console.printJSON(Report(target: target.display, results: results)) }
        return results.allSatisfy { $0.outcome.isDelivered } ? 0 : 1
    }

    // MARK: Transports

    /// Opens the link for a target. The RFCOMM branch is where the Bluetooth
    /// work plugs in (SDP lookup when no channel is given).
    static func openTransport(_ target: Target, deadline: Deadline) throws -> Transport {
        switch target {
        case .tcp(let host, let port):
            return try TCPTransport.connect(host: host, port: port, deadline: deadline)
        case .rfcomm(let address, let channel, let adapterName):
            let adapter = try Adapter.select(adapterName)
            // Silent pairing needs NoInputNoOutput and no bonding; what cannot
            // be set is said once, with its fix, and the push goes on.
            for problem in AdapterSettings.apply(to: adapter, name: nil).problems {
                Console.note("psacaster: warning: \(problem.description)")
            }
            guard let device = BluetoothAddress(address) else { throw BlueZError.system(operation: "push", errno: EINVAL) }
            let link = try ObjectPushConnector.connect(to: device, adapter: adapter, channel: channel, deadline: deadline)
            let sdp = channel == nil ? String(format: "SDP lookup %.2f s (channel %d), ", link.sdpSeconds, link.channel) : ""
            let retried = link.connectAttempts > 1 ? " (\(link.connectAttempts) attempts)" : ""
            Console.note("push: \(sdp)RFCOMM connect from \(adapter.name) \(String(format: "%.2f", link.connectSeconds)) s\(retried)")
            return link.transport
        }
    }

    /// What a failed connect means for each file: the device cannot receive
    /// (no Object Push record), did not answer in time, or was unreachable.
    static func connectOutcome(_ error: Error) -> DeliveryOutcome {
        switch bluetoothError(error) {
        case .cannotReceive?: return .notAttempted(reason: "cannot receive: the device has no OBEX Object Push service")
        case .timedOut?: return .timedOut(step: .connect)
        case .outOfRange?, .connectionRefused?, .linkLost?, .pairingFailed?: return .linkLost(step: .connect)
        case let e?: return .localFailure(detail: e.why)       // our adapter, not the phone
        case nil where (error as? TransportError) == .timedOut: return .timedOut(step: .connect)
        case nil: return .linkLost(step: .connect)
        }
    }

    /// Bluetooth failures (adapter, SDP, RFCOMM connect) as BlueZError, whose
    /// message carries the fix; nil for anything else.
    static func bluetoothError(_ error: Error) -> BlueZError? {
        if let e = error as? BlueZError { return e }
        if case .system(let op, let errno)? = error as? TransportError { return BlueZError.from(errno: errno, operation: op) }
        return nil
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? TransportError, e == .timedOut { return "no answer before the connect timeout" }
        return String(describing: error)
    }

    static func connectAdvice(_ target: Target) -> String {
        switch target {
        case .tcp: return "Check that an OBEX server listens there (psacaster serve-obex --tcp PORT --dir DIR)."
        case .rfcomm: return "Make sure the phone is near and its Bluetooth is on."
        }
    }

    static func parseTarget(_ args: ParsedArguments) throws -> Target {
        let to = args.value("to"), tcp = args.value("tcp")
        if to != nil && tcp != nil { throw UsageError.invalid("give either --to or --tcp, not both.", command: spec.name) }
        if let tcp {
            if args.value("adapter") != nil { throw UsageError.invalid("--adapter goes with --to, not --tcp.", command: spec.name) }
            guard let (host, port) = parseHostPort(tcp, defaultPort: TCPTransport.defaultPort) else {
                throw UsageError.badValue("--tcp", value: tcp, expected: "HOST[:PORT], e.g. 127.0.0.1:6500", command: spec.name)
            }
            return .tcp(host: host, port: port)
        }
        guard let to else { throw UsageError.invalid("say where to send: --to ADDR[@CHANNEL] or --tcp HOST[:PORT].", command: spec.name) }
        let parts = to.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, isBluetoothAddress(parts[0]) else {
            throw UsageError.badValue("--to", value: to, expected: "a Bluetooth address like 00:1A:7D:DA:71:13, optionally @CHANNEL", command: spec.name)
        }
        var channel: UInt8?
        if parts.count == 2 {
            guard let c = UInt8(parts[1]), (1...30).contains(c) else {
                throw UsageError.badValue("--to", value: to, expected: "an RFCOMM channel from 1 to 30 after @", command: spec.name)
            }
            channel = c
        }
        let adapter = args.value("adapter")
        if let adapter, !(adapter.hasPrefix("hci") && adapter.count > 3 && adapter.dropFirst(3).allSatisfy(\.isNumber)) {
            throw UsageError.badValue("--adapter", value: adapter, expected: "an adapter name like hci0", command: spec.name)
        }
        return .rfcomm(address: parts[0].uppercased(), channel: channel, adapter: adapter)
    }

    static func isBluetoothAddress(_ s: String) -> Bool {
        let octets = s.split(separator: ":", omittingEmptySubsequences: false)
        return octets.count == 6 && octets.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }

    /// "host", "host:port", "[v6]:port". Port 0 only when `allowPortZero`
    /// (a listener picking a free port).
    static func parseHostPort(_ text: String, defaultPort: UInt16, allowPortZero: Bool = false) -> (String, UInt16)? {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { return nil }
        guard let pt = portText else { return (host, defaultPort) }
        guard let port = UInt16(pt), port > 0 || allowPortZero else { return nil }
        return (host, port)
    }

    // MARK: Output

    struct Result: Encodable {
        let file: String
        let name: String
        let bytes: UInt32
        let outcome: DeliveryOutcome
        let seconds: Double

        init(object: PushObject, outcome: DeliveryOutcome, seconds: Double) {
            if case .file(let path) = object.source { file = path } else { file = object.name }
            name = object.name
            bytes = object.length
            self.outcome = outcome
            self.seconds = seconds
        }

        var line: String {
            let kind = outcome.kind.padding(toLength: 18, withPad: " ", startingAt: 0)
            if outcome.isDelivered {
                return "\(kind) \(file)  \(bytes) bytes in \(String(format: "%.2f", seconds)) s"
            }
            return "\(kind) \(file)  \(outcome)"
        }

        enum CodingKeys: String, CodingKey { case file, name, bytes, outcome, code, detail, seconds }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(name, forKey: .name)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(outcome.kind, forKey: .outcome)
            try c.encodeIfPresent(outcome.responseCode.map { String(format: "0x%02X", $0) }, forKey: .code)
            try c.encode(outcome.description, forKey: .detail)
            try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
        }
    }

    struct Report: Encodable {
        let target: String
        let results: [Result]
        enum CodingKeys: String, CodingKey { case target, objects, delivered, total }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target)
            try c.encode(results, forKey: .objects)
            try c.encode(results.filter { $0.outcome.isDelivered }.count, forKey: .delivered)
            try c.encode(results.count, forKey: .total)
        }
    }

    /// SIGINT/SIGTERM cancel the session politely instead of killing it.
    static func cancelOnSignals(_ client: ObjectPushClient) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { client.cancel() }
            source.resume()
            return source
        }
    }
}
