import BlueZ
import Foundation
import OBEXPush

/// `psacaster serve-obex --tcp [HOST:]PORT --dir DIR`: an OBEX Object Push
/// receiver over TCP, for tests, benchmarks and tools. One line per offered
/// object on stdout; runs until Ctrl-C/SIGTERM (or one session with --once).
enum ServeOBEXCommand: Command {
    static let spec = CommandSpec(
        name: "serve-obex",
        summary: "Run an OBEX Object Push server (for tests and tools).",
        usage: "(--tcp [HOST:]PORT | --bluetooth [--adapter hciN]) --dir DIR [options]",
        discussion: "Listens on 127.0.0.1 unless a host is given. Files are written atomically; names are sanitised.",
        options: [
            .value("tcp", "[HOST:]PORT", help: "Address to listen on (port 0 picks a free port, printed on stderr)."),
            .flag("bluetooth", help: "Listen on Bluetooth RFCOMM and publish an OBEX Object Push SDP record (bluetoothd needs --compat)."),
            .value("adapter", "hciN", help: "Adapter for --bluetooth.", default: "the first powered one"),
            .value("dir", "DIR", help: "Directory to store received files in (must exist)."),
            .flag("decline", help: "Decline every object with 0xC3 Forbidden, as a phone whose user says no."),
            .value("max-size", "BYTES", help: "Refuse objects larger than this with 0xCD.", default: "268435456"),
            .value("idle-timeout", "SECONDS", help: "Drop a sender silent for this long.", default: "30"),
            .flag("require-length", help: "Refuse objects without a Length header (0xCB), as Android does."),
            .flag("once", help: "Exit after the first session ends."),
            .flag("json", help: "Print one JSON object per line instead of text."),
        ],
        examples: [
            "psacaster serve-obex --tcp 6500 --dir /tmp/inbox",
            "psacaster serve-obex --tcp 127.0.0.1:0 --dir /tmp/inbox --decline --once",
        ])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        if args.flag("bluetooth") && args.value("tcp") != nil {
            throw UsageError.invalid("give either --tcp or --bluetooth, not both.", command: spec.name)
        }
        let tcp = args.value("tcp") ?? "0"
        guard args.flag("bluetooth") || args.value("tcp") != nil else {
            throw UsageError.invalid("say where to listen: --tcp [HOST:]PORT or --bluetooth.", command: spec.name)
        }
        guard let (host, port) = parseListenAddress(tcp) else {
            throw UsageError.badValue("--tcp", value: tcp, expected: "[HOST:]PORT, e.g. 6500 or 127.0.0.1:6500", command: spec.name)
        }
        guard let dir = args.value("dir") else {
            throw UsageError.invalid("say where to store files: --dir DIR.", command: spec.name)
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue, access(dir, W_OK) == 0 else {
            Console.error("serve-obex: cannot store into '\(dir)': it is not a writable directory. Create it first (mkdir -p '\(dir)').")
            return 1
        }
        let maxSize = try args.integer("max-size", default: 256 << 20, in: 0...Int(UInt32.max))
        let idle = try args.decimal("idle-timeout", default: 30, in: 0.1...3600)
        let config = ObjectPushServer.Configuration(directory: dir, maxObjectSize: maxSize, idleTimeout: idle,
                                                    requireLength: args.flag("require-length"))
        let reporter = LineReporter(decline: args.flag("decline"), json: args.flag("json"))
        let server = ObjectPushServer(configuration: config, delegate: reporter)

        let listener: Listener
        if args.flag("bluetooth") {
            do { listener = try BluetoothListener(adapterName: args.value("adapter")) } catch {
                Console.error("serve-obex: \(error)")
                return 1
            }
        } else {
            do { listener = try TCPListener(host: host, port: port) } catch {
                Console.error("serve-obex: cannot listen on \(host):\(port): \(error). Pick another port or stop what uses it.")
                return 1
            }
        }
        Console.note("serve-obex: listening on \(listener.where), storing into \(dir)")

        let stopping = Stopping()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stopping.set(); server.stop(); listener.close() }
            s.resume()
            sources.append(s)
        }
        defer { sources.forEach { $0.cancel() } }

        let sessions = DispatchGroup()
        let active = SessionCount()
        let once = args.flag("once")
        while !stopping.isSet {
            let transport: Transport
            do { transport = try listener.acceptNext() } catch {
                if stopping.isSet { break }
                Console.error("serve-obex: accept failed: \(error). Restart the server.")
                return 1
            }
            if once {
                server.serve(transport)
                break
            }
            // A bounded number of sessions: each holds a thread until its
            // sender finishes or goes silent for --idle-timeout.
            guard active.tryEnter(limit: maxSessions) else {
                transport.close()
                Console.note("serve-obex: \(maxSessions) sessions already running; refused a connection")
                continue
            }
            sessions.enter()
            Thread.detachNewThread {
                server.serve(transport)
                active.leave()
                sessions.leave()
            }
        }
        listener.close()
        server.stop()
        _ = sessions.wait(timeout: .now() + 2)
        return 0
    }

    /// Where sessions come from: TCP, or RFCOMM with its SDP record.
    protocol Listener: AnyObject {
        var `where`: String { get }
        func acceptNext() throws -> Transport
        func close()
    }

    final class BluetoothListener: Listener {
        let rfcomm: RFCOMMListener
        let record: ObjectPushServiceRecord
        let adapter: Adapter
        init(adapterName: String?) throws {
            adapter = try Adapter.select(adapterName)
            // phones can only connect to an adapter that page-scans
            for problem in AdapterSettings.apply(to: adapter, name: nil, connectable: true).problems {
                Console.note("psacaster: warning: \(problem.description)")
            }
            rfcomm = try RFCOMMListener(localAddress: adapter.address.description)
            record = try ObjectPushServiceRecord(channel: rfcomm.channel)
        }
        var `where`: String { "\(adapter.name) RFCOMM channel \(rfcomm.channel)" }
        func acceptNext() throws -> Transport {
            // the peer's address is not printed: it identifies a phone
            try rfcomm.accept(deadline: .distantFuture).transport
        }
        func close() { rfcomm.close() }
    }

    /// "PORT" (on 127.0.0.1), "HOST:PORT", "[V6]:PORT".
    static func parseListenAddress(_ text: String) -> (String, UInt16)? {
        if let p = UInt16(text) { return ("127.0.0.1", p) }
        guard let (host, port) = PushCommand.parseHostPort(text, defaultPort: 0, allowPortZero: true) else { return nil }
        guard text.hasSuffix(":\(port)") else { return nil }   // a port is required
        return (host, port)
    }

    /// At most this many senders at once.
    static let maxSessions = 16

    final class SessionCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func tryEnter(limit: Int) -> Bool {
            lock.lock(); defer { lock.unlock() }
            guard count < limit else { return false }
            count += 1
            return true
        }
        func leave() { lock.lock(); count -= 1; lock.unlock() }
    }

    final class Stopping: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        func set() { lock.lock(); flag = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    }

    /// Prints one line per offered object (sessions may run concurrently).
    final class LineReporter: ObjectPushServerDelegate, @unchecked Sendable {
        let decline: Bool
        let json: Bool
        private let lock = NSLock()

        init(decline: Bool, json: Bool) { self.decline = decline; self.json = json }

        func decide(on offer: IncomingOffer) -> OfferDecision { decline ? .decline : .accept }

        func didReceive(_ object: ReceivedObject) {
            emit(["event": "received", "name": object.fileName, "bytes": object.byteCount, "path": object.path],
                 text: "received  \(object.fileName)  \(object.byteCount) bytes")
        }

        func didNotReceive(_ offer: IncomingOffer?, because reason: ReceiveFailure) {
            let name = offer?.fileName ?? "-"
            let event = reason == .declined ? "declined" : "failed"
            emit(["event": event, "name": name, "reason": reason.description],
                 text: "\(event)  \(name)  \(reason)")
        }

        private func emit(_ fields: [String: Any], text: String) {
            lock.lock(); defer { lock.unlock() }
            if json, let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
            }
        }
    }
}

extension TCPListener: ServeOBEXCommand.Listener {
    var `where`: String { "\(host):\(port)" }
    func acceptNext() throws -> Transport { try accept() }
}
