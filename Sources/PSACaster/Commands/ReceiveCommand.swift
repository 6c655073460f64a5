import BlueZ
import Foundation
import OBEXPush

/// Set by SIGINT/SIGTERM: stop accepting and end the session in progress.
nonisolated(unsafe) private var receiveStopRequested: Int32 = 0

/// `psacaster receive`: the Pi becomes an Object Push server on RFCOMM,
/// registered in SDP, so field staff can beam a recording from their phone.
enum ReceiveCommand: Command {
    static let spec = CommandSpec(
        name: "receive",
        summary: "Receive recordings beamed from field staff's phones (Object Push server).",
        usage: "--allow ADDR [--allow ADDR ...] --lang CODE [options]",
        discussion: """
        Only the phones given with --allow may send; any other device is answered Forbidden and \
        is not logged. What arrives goes through 'add' (encoded) into the inbox: unapproved, \
        never broadcast until a fluent speaker approves it. Runs until Ctrl-C.
        Phones find the server through its SDP record; BlueZ 5 accepts that record only when \
        bluetoothd runs with --compat (-C).
        \(CatalogCLI.locationDiscussion)
        """,
        options: [
            .repeated("allow", "ADDR", help: "Bluetooth address of a staff phone allowed to send."),
            .value("lang", "CODE", help: "Language of the recordings that will arrive (BCP 47: my, km, vi, …)."),
            .value("adapter", "hciN", help: "Bluetooth adapter to listen on.", default: "the first powered one"),
            .value("channel", "N", help: "RFCOMM channel (1 to 30; 0 picks a free one).", default: "0"),
            .value("max-size", "MB", help: "Largest recording accepted, in megabytes (1 to 200).", default: "50"),
            .flag("once", help: "Stop after the first recording was added."),
            .value("for", "SECONDS", help: "Stop after this many seconds.", default: "run until Ctrl-C"),
            CatalogCLI.catalogOption,
        ],
        examples: ["psacaster receive --allow 00:11:22:33:44:55 --lang my",
                   "psacaster receive --allow 00:11:22:33:44:55 --allow 66:77:88:99:AA:BB --lang km --adapter hci1"])

    static func run(_ args: ParsedArguments) throws -> Int32 {
        let allowlist = try ReceiveAllowlist(args.values("allow"))
        guard allowlist.count > 0 else {
            throw UsageError.invalid("give --allow ADDR for each staff phone that may send recordings (nothing is accepted from anyone else).", command: spec.name)
        }
        guard let langText = args.value("lang") else {
            throw UsageError.invalid("--lang CODE is required: the language of the recordings staff will send. Run 'psacaster receive --help'.", command: spec.name)
        }
        let language: LanguageTag
        do { language = try LanguageTag(langText) } catch { throw UsageError.invalid(String(describing: error), command: spec.name) }
        let channel = try args.integer("channel", default: 0, in: 0...30)
        let maxMB = try args.integer("max-size", default: 50, in: 1...200)
        let seconds = try args.value("for").map { _ in try args.decimal("for", default: 0, in: 1...86_400) }
        let once = args.flag("once")

        let store = CatalogCLI.store(args)
        if store.exists { _ = try store.load() }   // a broken catalog is reported before anyone sends
        let adapter = try Adapter.select(args.value("adapter"))
        // Staff phones can only connect to an adapter that page-scans.
        for problem in AdapterSettings.apply(to: adapter, name: nil, connectable: true).problems {
            Console.note("psacaster: warning: \(problem.description)")
        }
        let listener = try RFCOMMListener(localAddress: adapter.address.description, channel: UInt8(channel))
        let record = try ObjectPushServiceRecord(channel: listener.channel)
        defer { withExtendedLifetime(record) {} }

        let inbox = try RecordingInbox(store: store, language: language) { print($0); fflush(stdout) }
        let refusing = RefusingDelegate()
        let config = ObjectPushServer.Configuration(directory: inbox.uploads.path, maxObjectSize: maxMB << 20, idleTimeout: 30)
        receiveStopRequested = 0
        let onSignal: @convention(c) (Int32) -> Void = { _ in receiveStopRequested = 1 }
        signal(SIGINT, onSignal)
        signal(SIGTERM, onSignal)
        print("Receiving on \(adapter.name), RFCOMM channel \(listener.channel): staff phones on the allowlist (\(allowlist.count)) can send recordings in \(language.canonical) (\(language.languageName)) now. Ctrl-C stops.")
        fflush(stdout)
        let end = seconds.map { Deadline.after(seconds: $0) } ?? .distantFuture
        var refusedCount = 0
        while receiveStopRequested == 0, !end.hasPassed {
            let connection: (transport: SocketTransport, peer: String)
            do {
                connection = try listener.accept(deadline: min(end, .after(seconds: 0.5)))
            } catch TransportError.timedOut {
                continue
            }
            let allowed = allowlist.allows(connection.peer)
            // One server per session so the delegate matches the peer; the
            // address is used for this check only, never printed or kept.
            let server = ObjectPushServer(configuration: config, delegate: allowed ? inbox : refusing)
            let stopper = Thread { while receiveStopRequested == 0 && !server.isStopped { usleep(200_000) }; server.stop() }
            stopper.start()
            let before = inbox.added.count
            _ = server.serve(LingeringTransport(connection.transport))
            server.stop()
            inbox.processPending()
            if !allowed {
                refusedCount += 1
                print("Refused a device that is not on the allowlist (\(refusedCount) so far).")
                fflush(stdout)
            }
            if once && inbox.added.count > before { break }
        }
        let n = inbox.added.count
        print("Stopped: \(n) recording\(n == 1 ? "" : "s") added to the inbox\(n > 0 ? " (\(inbox.added.map(\.id).joined(separator: ", ")))" : "").")
        return 0
    }
}
