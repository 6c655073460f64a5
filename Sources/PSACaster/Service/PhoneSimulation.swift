import Foundation
import OBEXPush

/// Simulated phones for `--simulate` and the tests: each phone is a real
/// OBEX Object Push server (ObjectPushServer) on its own loopback TCP port,
/// with scripted behaviour, appearing and leaving on a timeline. The
/// service runs unchanged against it: real scheduler, memory, stats and
/// OBEX client.
final class PhoneSimulation {
    final class Phone {
        let number: Int
        let behaviour: SimulationSpec.Behaviour
        let address: DeviceAddress
        let decideSeconds: Double
        let arrivesAt: Double
        let leavesAt: Double?
        let directory: String
        var listener: TCPListener?
        var port: UInt16 = 0
        // What happened to it, for the summary and the tests.
        var connections = 0
        var offers = 0
        var received: [(name: String, bytes: Int, sha256: String)] = []
        init(number: Int, behaviour: SimulationSpec.Behaviour, address: DeviceAddress, decideSeconds: Double,
             arrivesAt: Double, leavesAt: Double?, directory: String) {
            self.number = number; self.behaviour = behaviour; self.address = address
            self.decideSeconds = decideSeconds; self.arrivesAt = arrivesAt; self.leavesAt = leavesAt; self.directory = directory
        }
    }

    let spec: SimulationSpec
    let phones: [Phone]
    let radio: SimulatedRadio
    let directory: String
    private let ownsDirectory: Bool
    private let lock = NSLock()
    private let stopFlag = Cancellation()
    private var startedAt: Double = 0
    private var servers: [ObjectPushServer] = []
    private var delegates: [PhoneBehaviourDelegate] = []

    init(spec: SimulationSpec) throws {
        self.spec = spec
        if let d = spec.directory {
            directory = d; ownsDirectory = false
        } else {
            directory = NSTemporaryDirectory() + "psacaster-sim-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            ownsDirectory = true
        }
        var rng = SplitMix(seed: spec.seed)
        var list: [SimulationSpec.Behaviour] = []
        for b in SimulationSpec.Behaviour.allCases { list += Array(repeating: b, count: spec.counts[b] ?? 0) }
        // Interleave behaviours in arrival order, deterministically.
        for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var made: [Phone] = []
        for (i, b) in list.enumerated() {
            let n = i + 1
            // Locally administered addresses, unique per phone and per run.
            let addr = DeviceAddress(bytes: [0x02, UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next()),
                                             UInt8(n >> 8), UInt8(n & 0xff), UInt8(truncatingIfNeeded: rng.next())])
            let span = spec.decide.upperBound - spec.decide.lowerBound
            let decide = spec.decide.lowerBound + span * Double(rng.next() % 10_000) / 10_000
            let arrive = list.count > 1 ? spec.arrive * Double(i) / Double(list.count - 1) : 0
            let dir = (directory as NSString).appendingPathComponent(String(format: "phone-%02d", n))
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            made.append(Phone(number: n, behaviour: b, address: addr, decideSeconds: decide, arrivesAt: arrive,
                              leavesAt: spec.stay > 0 ? arrive + spec.stay : nil, directory: dir))
        }
        phones = made
        radio = SimulatedRadio(adapterCount: spec.adapters, scanSeconds: spec.scan)
        radio.simulation = self
        for p in phones where p.behaviour != .noopp {
            let l = try TCPListener(host: "127.0.0.1", port: 0)
            p.listener = l
            p.port = l.port
        }
    }

    /// Starts the clock and the phones' servers.
    func start() {
        lock.lock(); startedAt = SystemClock().monotonic(); lock.unlock()
        for p in phones {
            guard let listener = p.listener else { continue }
            let server = ObjectPushServer(configuration: .init(directory: p.directory, maxObjectSize: 16 << 20, idleTimeout: 30))
            let delegate = PhoneBehaviourDelegate(phone: p, simulation: self)
            server.delegate = delegate
            lock.lock(); servers.append(server); delegates.append(delegate); lock.unlock()
            let t = Thread { [weak self] in self?.acceptLoop(p, listener, server, delegate) }
            t.name = "sim-phone-\(p.number)"
            t.start()
        }
    }

    func stop() {
        stopFlag.cancel()
        lock.lock(); let s = servers; lock.unlock()
        for server in s { server.stop() }
        for p in phones { p.listener?.close() }
    }

    deinit {
        stop()
        if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    var elapsed: Double { lock.lock(); defer { lock.unlock() }; return SystemClock().monotonic() - startedAt }

    func isPresent(_ p: Phone) -> Bool {
        let t = elapsed
        return t >= p.arrivesAt && (p.leavesAt.map { t < $0 } ?? true)
    }

    func phone(at address: DeviceAddress) -> Phone? { phones.first { $0.address == address } }

    func note(_ p: Phone, _ change: (Phone) -> Void) { lock.lock(); change(p); lock.unlock() }
    func read<T>(_ p: Phone, _ get: (Phone) -> T) -> T { lock.lock(); defer { lock.unlock() }; return get(p) }

    private func acceptLoop(_ p: Phone, _ listener: TCPListener, _ server: ObjectPushServer, _ delegate: PhoneBehaviourDelegate) {
        while !stopFlag.isCancelled {
            guard let link = try? listener.accept(deadline: .after(seconds: 0.25)) else { continue }
            note(p) { $0.connections += 1 }
            let attempt = read(p) { $0.connections }
            let t = Thread { [weak self] in
                guard let self else { return }
                switch (p.behaviour, attempt) {
                case (.silent, _):
                    // Reads whatever comes and never answers, until the caller hangs up.
                    while !self.stopFlag.isCancelled {
                        guard let b = try? link.read(maxBytes: 4096, deadline: .after(seconds: 0.25)) else { continue }
                        if b.isEmpty { break }
                    }
                    link.close()
                case (.hostile, _):
                    // Answers the first packet with a response whose length field lies.
                    _ = try? link.read(maxBytes: 65536, deadline: .after(seconds: 5))
                    var junk: [UInt8] = [0xA0, 0xFF, 0xFF, 0x10, 0x00]
                    var rng = SplitMix(seed: UInt64(p.number))
                    for _ in 0..<2000 { junk.append(UInt8(truncatingIfNeeded: rng.next())) }
                    try? link.write(junk, deadline: .after(seconds: 2))
                    _ = try? link.read(maxBytes: 65536, deadline: .after(seconds: 1))
                    link.close()
                default:
                    let vanishing = p.behaviour == .vanish || (p.behaviour == .flaky && attempt == 1)
                    delegate.register(link: link, vanishing: vanishing)
                    let summary = server.serve(link)
                    for r in summary.received {
                        let data = FileManager.default.contents(atPath: r.path) ?? Data()
                        self.note(p) { $0.received.append((r.fileName, r.byteCount, Digest.hex(Digest.sha256(data)))) }
                    }
                }
            }
            t.name = "sim-link-\(p.number)"
            t.start()
        }
    }

    // MARK: the end of a simulation

    /// True when every phone has reached the end of its script as the
    /// service should leave it: served, declined once, given up on, or gone.
    func isSettled(campaignSize: Int, maxRetries: Int) -> Bool {
        let t = elapsed
        lock.lock(); defer { lock.unlock() }
        for p in phones {
            if t < p.arrivesAt { return false }
            if let leave = p.leavesAt, t >= leave { continue }
            switch p.behaviour {
            case .accept, .flaky: if p.received.count < campaignSize { return false }
            case .decline: if p.offers < 1 { return false }
            case .noopp: if p.connections < 1 && radio.lookups(p.number) < 1 { return false }
            case .vanish, .silent, .hostile: if p.connections < 1 + maxRetries { return false }
            }
        }
        return true
    }

    /// Blocks until the phones are settled and no transfer runs, or the
    /// service stops.
    func waitUntilSettled(service: BroadcastService) {
        var quietChecks = 0
        while !service.isStopping {
            let size = service.currentContent.items.count
            if isSettled(campaignSize: size, maxRetries: service.currentConfig.rules.maxRetries),
               service.liveState().transfersInProgress == 0 {
                quietChecks += 1
                if quietChecks >= 3 { return }
            } else {
                quietChecks = 0
            }
            stopFlag.sleep(0.2)
        }
    }

    /// What each phone received, for people.
    func summary() -> String {
        lock.lock(); defer { lock.unlock() }
        var out = "\nSimulated phones (\(phones.count)), what each one got:\n"
        for p in phones {
            var line = "  phone \(String(format: "%2d", p.number)) (\(p.behaviour.describe)"
            if p.behaviour == .accept || p.behaviour == .decline || p.behaviour == .flaky {
                line += String(format: " after %.1f s", p.decideSeconds)
            }
            line += "): "
            if p.received.isEmpty {
                line += p.behaviour == .noopp ? "nothing (never connected for a push)" :
                    "nothing (\(p.connections) connection\(p.connections == 1 ? "" : "s"), \(p.offers) offer\(p.offers == 1 ? "" : "s") seen)"
            } else {
                line += p.received.map { "\($0.name) (\(($0.bytes + 512) / 1024) KB)" }.joined(separator: ", ")
                if p.connections > 1 { line += " after \(p.connections) connections" }
            }
            out += line + "\n"
        }
        return out
    }
}

/// How a simulated phone's user answers, per link.
final class PhoneBehaviourDelegate: ObjectPushServerDelegate {
    let phone: PhoneSimulation.Phone
    weak var simulation: PhoneSimulation?
    private let lock = NSLock()
    private var vanishingLinks: [ObjectIdentifier: Transport] = [:]
    private var current: (link: Transport, vanishing: Bool)?
    /// Android asks its user about the first object of a session; once she
    /// accepts, later objects in the same session are accepted without asking.
    private var answeredThisLink = false

    init(phone: PhoneSimulation.Phone, simulation: PhoneSimulation) {
        self.phone = phone
        self.simulation = simulation
    }

    /// Called before serving a link; one link at a time per phone is enough
    /// here (the service never opens two sessions to one phone).
    func register(link: Transport, vanishing: Bool) {
        lock.lock(); current = (link, vanishing); answeredThisLink = false; lock.unlock()
    }

    func decide(on offer: IncomingOffer) -> OfferDecision {
        simulation?.note(phone) { $0.offers += 1 }
        lock.lock(); let c = current; lock.unlock()
        if let c, c.vanishing {
            // Halfway through the user's decision the phone walks out of range.
            Thread.sleep(forTimeInterval: phone.decideSeconds / 2)
            if let s = c.link as? SocketTransport { shutdown(s.fileDescriptor, Int32(SHUT_RDWR)) }
            c.link.close()
            return .decline
        }
        lock.lock(); let asked = answeredThisLink; answeredThisLink = true; lock.unlock()
        if !asked { Thread.sleep(forTimeInterval: phone.decideSeconds) }
        return phone.behaviour == .decline ? .decline : .accept
    }
}

/// The simulator's radio: scans list the phones present now; a push link is
/// a TCP connection to the phone's own server.
final class SimulatedRadio: Radio {
    let kind = "simulator"
    weak var simulation: PhoneSimulation?
    private let names: [String]
    private let scanSeconds: Double
    private let lock = NSLock()
    private var removed: Set<String> = []
    private var sdpLookups: [Int: Int] = [:]

    init(adapterCount: Int, scanSeconds: Double) {
        names = (0..<adapterCount).map { "sim\($0)" }
        self.scanSeconds = scanSeconds
    }

    func adapterNames() -> [String] { lock.lock(); defer { lock.unlock() }; return names.filter { !removed.contains($0) } }

    /// Tests unplug and replug simulated adapters.
    func setRemoved(_ adapter: String, _ isRemoved: Bool) {
        lock.lock(); if isRemoved { removed.insert(adapter) } else { removed.remove(adapter) }; lock.unlock()
    }

    func lookups(_ phone: Int) -> Int { lock.lock(); defer { lock.unlock() }; return sdpLookups[phone] ?? 0 }

    private func checkPresent(_ adapter: String) throws {
        lock.lock(); defer { lock.unlock() }
        if removed.contains(adapter) || !names.contains(adapter) {
            throw RadioError.adapterUnavailable(adapter: adapter, why: "the simulated adapter was removed", fix: "It comes back by itself")
        }
    }

    func prepare(adapter: String, visibleName: String) throws { try checkPresent(adapter) }

    func discover(adapter: String, seconds: Double, cancel: Cancellation) throws -> [Sighting] {
        try checkPresent(adapter)
        guard cancel.sleep(scanSeconds) else { throw RadioError.cancelled }
        try checkPresent(adapter)
        guard let sim = simulation else { return [] }
        return sim.phones.filter { sim.isPresent($0) }.map { Sighting(address: $0.address, mayReceive: nil) }
    }

    func openPushLink(adapter: String, to address: DeviceAddress, timeout: Double, cancel: Cancellation) throws -> Transport {
        try checkPresent(adapter)
        guard let sim = simulation, let p = sim.phone(at: address), sim.isPresent(p) else {
            throw RadioError.unreachable("page timeout")
        }
        lock.lock(); sdpLookups[p.number, default: 0] += 1; lock.unlock()
        if p.behaviour == .noopp { throw RadioError.cannotReceive }
        do {
            return try TCPTransport.connect(host: "127.0.0.1", port: p.port, deadline: .after(seconds: timeout))
        } catch {
            throw RadioError.unreachable("\(error)")
        }
    }
}

/// A small seeded generator, so a simulation is the same every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
