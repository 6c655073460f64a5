import Foundation
import OBEXPush

/// The unattended loop: per adapter, short scan windows; each phone that may
/// receive and that the device memory allows gets one OBEX session offering
/// the campaign in order, on its own thread, while scanning goes on. Up to
/// `transfersPerAdapter` sessions run at once on each adapter.
final class BroadcastService {
    private let radio: Radio
    private let pusher: Pusher
    private let clock: ServiceClock
    let log: ServiceLog
    let memory: DeviceMemory
    let stats: StatsStore
    private let loadContent: (ServiceConfig) throws -> CampaignContent

    private let lock = NSLock()
    private var config: ServiceConfig
    private var content: CampaignContent
    private var inFlight: Set<DeviceMemory.Token> = []
    private var adapters: [String: AdapterSlot] = [:]
    private var transferCancels: [ObjectIdentifier: Cancellation] = [:]
    private let transfers = DispatchGroup()
    private let stopping = Cancellation()
    private var threads: [Thread] = []
    private var reloadRequested = false
    private var catalogStamp: CatalogStore.ChangeToken?
    private let startedAt: Date
    private var lastLiveWrite: LiveState?
    private var finished = false
    private let finishedCondition = NSCondition()

    /// Counts of sessions now running, for tests and the bench.
    private(set) var peakConcurrentTransfers = 0
    private(set) var completedSessions = 0

    private final class AdapterSlot {
        let name: String
        var ready = false
        var state = "starting"
        var problem: String?
        var transfers = 0
        var thread: Thread?
        init(name: String) { self.name = name }
    }

    init(config: ServiceConfig, radio: Radio, pusher: Pusher, clock: ServiceClock = SystemClock(),
         log: ServiceLog, loadContent: @escaping (ServiceConfig) throws -> CampaignContent) throws {
        self.config = config
        self.radio = radio
        self.pusher = pusher
        self.clock = clock
        self.log = log
        self.loadContent = loadContent
        self.content = try loadContent(config)
        self.memory = DeviceMemory(rules: config.rules, clock: clock)
        self.stats = StatsStore(path: config.statsPath, clock: clock, log: log)
        self.startedAt = clock.wallNow()
        self.catalogStamp = Self.catalogStamp(config)
        for p in content.problems { log.warning("catalog: left out \(p)") }
    }

    /// Starts the workers and returns.
    func start() {
        let c = currentConfig
        if content.items.isEmpty {
            log.warning("campaign '\(content.campaignName)' has no approved announcement to send; scanning anyway. Approve one with 'psacaster approve ID --by NAME'")
        }
        log.info("broadcasting campaign '\(content.campaignName)' (\(content.items.count) announcement\(content.items.count == 1 ? "" : "s"): \(content.ids.joined(separator: ", "))) with the \(radio.kind) radio, up to \(c.transfersPerAdapter) transfer\(c.transfersPerAdapter == 1 ? "" : "s") per adapter")
        syncAdapters()
        let house = Thread { [weak self] in self?.housekeeping() }
        house.name = "housekeeping"
        house.start()
        lock.lock(); threads.append(house); lock.unlock()
    }

    var currentConfig: ServiceConfig { lock.lock(); defer { lock.unlock() }; return config }
    var currentContent: CampaignContent { lock.lock(); defer { lock.unlock() }; return content }
    var isStopping: Bool { stopping.isCancelled }

    /// Asks for a reload of config and catalog (SIGHUP); done on the housekeeping thread.
    func requestReload() { lock.lock(); reloadRequested = true; lock.unlock() }

    /// Stops: no new sessions, in-flight ones are aborted politely, then the
    /// stats are flushed and the live state removed. Returns within about
    /// `grace` seconds even if a peer does not let go.
    func stop(grace: Double = 4) {
        guard !stopping.isCancelled else { waitUntilFinished(); return }
        log.info("stopping: ending transfers in progress")
        writeLiveState(force: true, stoppingNow: true)
        stopping.cancel()
        lock.lock(); let cancels = Array(transferCancels.values); lock.unlock()
        for c in cancels { c.cancel() }
        if transfers.wait(timeout: .now() + grace) == .timedOut {
            log.warning("a transfer did not end within \(Int(grace)) s; leaving it")
        }
        stats.flush()
        try? FileManager.default.removeItem(atPath: currentConfig.liveStatePath)
        let t = stats.snapshot.totals
        log.info("stopped. Counts so far: \(t.seen) seen, \(t.delivered) served, \(t.declined) declined, \(t.failed) failed")
        finishedCondition.lock(); finished = true; finishedCondition.broadcast(); finishedCondition.unlock()
    }

    func waitUntilFinished() {
        finishedCondition.lock()
        while !finished { finishedCondition.wait() }
        finishedCondition.unlock()
    }

    // MARK: adapters

    /// Starts a worker for each adapter to use: the configured ones, or every
    /// adapter present (checked again now and then, so a dongle plugged in
    /// later is used too).
    private func syncAdapters() {
        let c = currentConfig
        let wanted = c.adapters.isEmpty ? radio.adapterNames() : c.adapters
        if wanted.isEmpty {
            log.warnOnce("no-adapter", "no Bluetooth adapter found; waiting for one. Plug in a USB Bluetooth dongle or check 'psacaster adapters'")
        } else if log.clear("no-adapter") {
            log.info("adapter found")
        }
        lock.lock()
        var toStart: [AdapterSlot] = []
        for name in wanted where adapters[name] == nil {
            let slot = AdapterSlot(name: name)
            adapters[name] = slot
            toStart.append(slot)
        }
        lock.unlock()
        for slot in toStart {
            let t = Thread { [weak self] in self?.adapterLoop(slot) }
            t.name = "scan-\(slot.name)"
            t.start()
            lock.lock(); slot.thread = t; threads.append(t); lock.unlock()
        }
    }

    private func adapterLoop(_ slot: AdapterSlot) {
        var retryDelay = 1.0
        while !stopping.isCancelled {
            let c = currentConfig
            if !slot.ready {
                do {
                    try radio.prepare(adapter: slot.name, visibleName: c.visibleName)
                    lock.lock(); slot.ready = true; slot.state = "scanning"; slot.problem = nil; lock.unlock()
                    if log.clear("adapter-\(slot.name)") { log.info("\(slot.name) is back; resuming") }
                    else { log.info("\(slot.name) ready, visible as \"\(c.visibleName)\"") }
                    retryDelay = 1
                } catch {
                    markDown(slot, error)
                    stopping.sleep(retryDelay)
                    retryDelay = min(retryDelay * 2, 10)
                    continue
                }
            }
            do {
                let found = try radio.discover(adapter: slot.name, seconds: c.scanSeconds, cancel: stopping)
                log.debug("\(slot.name): scan found \(found.count) device\(found.count == 1 ? "" : "s")")
                for s in found where !stopping.isCancelled { consider(s, on: slot) }
            } catch RadioError.cancelled {
                break
            } catch {
                markDown(slot, error)
                continue
            }
            if c.scanPauseSeconds > 0 { stopping.sleep(c.scanPauseSeconds) }
        }
        lock.lock(); slot.state = "stopped"; lock.unlock()
    }

    private func markDown(_ slot: AdapterSlot, _ error: Error) {
        lock.lock(); slot.ready = false; slot.state = "waiting"; slot.problem = "\(error)"; lock.unlock()
        log.warnOnce("adapter-\(slot.name)", "\(error); will resume by itself when it is back")
    }

    // MARK: phones

    private func consider(_ sighting: Sighting, on slot: AdapterSlot) {
        let token = memory.token(for: sighting.address)
        let (ordinal, firstThisHour) = memory.sighted(token, hour: stats.currentHourNumber())
        if firstThisHour { stats.add(phones: .init(seen: 1)) }
        if sighting.mayReceive == false {
            if memory.decision(for: token, campaign: []) != .skip(.cannotReceive) {
                memory.record(.cannotReceive, for: token, offered: [])
                stats.add(phones: .init(cannotReceive: 1))
                log.info("phone #\(ordinal): cannot receive files; skipped")
            }
            return
        }
        lock.lock()
        let items = content.items
        let c = config
        guard !inFlight.contains(token) else { lock.unlock(); return }
        guard case .offer(let already) = memory.decision(for: token, campaign: items.map(\.id)) else { lock.unlock(); return }
        let toSend = items.filter { !already.contains($0.id) }
        guard !toSend.isEmpty, slot.ready, slot.transfers < c.transfersPerAdapter else { lock.unlock(); return }
        inFlight.insert(token)
        slot.transfers += 1
        let running = adapters.values.reduce(0) { $0 + $1.transfers }
        peakConcurrentTransfers = max(peakConcurrentTransfers, running)
        let cancel = Cancellation()
        let session = SessionRef()
        transferCancels[ObjectIdentifier(session)] = cancel
        transfers.enter()
        lock.unlock()

        let t = Thread { [weak self] in
            guard let self else { return }
            self.runSession(address: sighting.address, token: token, ordinal: ordinal, items: toSend,
                            adapter: slot, config: c, cancel: cancel)
            if c.linkGapSeconds > 0 { self.stopping.sleep(c.linkGapSeconds) }
            self.lock.lock()
            self.inFlight.remove(token)
            slot.transfers -= 1
            self.transferCancels.removeValue(forKey: ObjectIdentifier(session))
            self.completedSessions += 1
            self.lock.unlock()
            self.transfers.leave()
        }
        t.name = "push"
        t.start()
    }

    private final class SessionRef {}

    private func runSession(address: DeviceAddress, token: DeviceMemory.Token, ordinal: Int, items: [OfferItem],
                            adapter: AdapterSlot, config c: ServiceConfig, cancel: Cancellation) {
        let phone = "phone #\(ordinal)"
        log.debug("\(phone): offering \(items.count) announcement(s) on \(adapter.name)")
        let link: Transport
        do {
            link = try radio.openPushLink(adapter: adapter.name, to: address, timeout: c.connectTimeoutSeconds, cancel: cancel)
        } catch RadioError.cannotReceive {
            memory.record(.cannotReceive, for: token, offered: [])
            stats.add(phones: .init(cannotReceive: 1))
            log.info("\(phone): cannot receive files (no Object Push service); skipped")
            return
        } catch {
            if cancel.isCancelled { return }
            memory.record(.failed(delivered: []), for: token, offered: [])
            stats.add(phones: .init(failed: 1))
            log.info("\(phone): \(error)\(retryNote(token))")
            return
        }
        defer { link.close() }
        stats.add(phones: .init(offered: 1))
        let timeouts = PushTimeouts(connect: c.connectTimeoutSeconds, answer: c.answerTimeoutSeconds, packet: c.packetTimeoutSeconds)
        let results = pusher.offer(items, over: link, timeouts: timeouts, cancel: cancel)
        var delivered: [String] = []
        var declined = false
        var failure: String?
        for (item, r) in zip(items, results) {
            switch r {
            case .delivered:
                delivered.append(item.id)
                stats.add(announcement: item.id, .init(offered: 1, delivered: 1))
            case .declined:
                declined = true
                stats.add(announcement: item.id, .init(offered: 1, declined: 1))
            case .failed(let why):
                failure = failure ?? why
                stats.add(announcement: item.id, .init(offered: 1, failed: 1))
            case .notSent:
                break
            }
        }
        let got = "\(delivered.count) of \(items.count)"
        if declined {
            memory.record(.declined, for: token, offered: items.map(\.id))
            stats.add(phones: .init(declined: 1))
            log.info("\(phone): declined\(delivered.isEmpty ? "" : " after receiving \(got)"); not offered again")
        } else if delivered.count == items.count {
            memory.record(.delivered, for: token, offered: delivered)
            stats.add(phones: .init(delivered: 1))
            log.info("\(phone): delivered \(got) (\(delivered.joined(separator: ", ")))")
        } else {
            memory.record(.failed(delivered: Set(delivered)), for: token, offered: items.map(\.id))
            stats.add(phones: .init(failed: 1))
            let why = cancel.isCancelled ? "stopped by shutdown" : (failure ?? "session ended early")
            log.info("\(phone): failed after \(got) delivered (\(why))\(cancel.isCancelled ? "" : retryNote(token))")
        }
    }

    private func retryNote(_ token: DeviceMemory.Token) -> String {
        switch memory.decision(for: token, campaign: ["\u{0}"]) {
        case .skip(.gaveUp): return "; giving up"
        default: return "; will retry later"
        }
    }

    // MARK: housekeeping

    private func housekeeping() {
        var lastFlush = clock.monotonic()
        var lastAdapterCheck = clock.monotonic()
        var lastCatalogCheck = clock.monotonic()
        while !stopping.isCancelled {
            let now = clock.monotonic()
            let c = currentConfig
            if memory.rotateIfDue() { log.info("device memory key rotated: every phone is forgotten") }
            lock.lock(); let reload = reloadRequested; reloadRequested = false; lock.unlock()
            if reload { performReload(reason: "reload requested") }
            if now - lastCatalogCheck >= 5 {
                lastCatalogCheck = now
                if Self.catalogStamp(c) != catalogStamp { performReload(reason: "catalog changed", catalogOnly: true) }
            }
            if now - lastAdapterCheck >= 5 {
                lastAdapterCheck = now
                syncAdapters()
            }
            if now - lastFlush >= c.statsFlushSeconds {
                lastFlush = now
                stats.flush()
            }
            writeLiveState()
            stopping.sleep(0.5)
        }
    }

    static func catalogStamp(_ c: ServiceConfig) -> CatalogStore.ChangeToken? {
        CampaignContent.changeToken(catalog: c.catalogDirectory)
    }

    /// Re-reads the config file (if any) and the catalog. A bad new config or
    /// catalog is reported and the running one kept.
    var configPath: String?

    private func performReload(reason: String, catalogOnly: Bool = false) {
        var next = currentConfig
        if !catalogOnly, let path = configPath {
            do { next = try ServiceConfig.load(path: path) } catch {
                log.error("\(reason): \(error); keeping the running settings"); return
            }
            next.catalogDirectory = overrides.catalog ?? next.catalogDirectory
            if !overrides.adapters.isEmpty { next.adapters = overrides.adapters }
        }
        catalogStamp = Self.catalogStamp(next)
        let newContent: CampaignContent
        do { newContent = try loadContent(next) } catch {
            log.error("\(reason): \(error); keeping the running campaign"); return
        }
        for p in newContent.problems { log.warning("catalog: left out \(p)") }
        lock.lock()
        let before = content
        config = next
        content = newContent
        lock.unlock()
        memory.update(rules: next.rules)
        log.minimum = next.logLevel
        let changed = before.items.map { [$0.id, Digest.hex(Digest.sha256($0.data))] } != newContent.items.map { [$0.id, Digest.hex(Digest.sha256($0.data))] }
        log.info("\(reason): campaign '\(newContent.campaignName)' with \(newContent.items.count) announcement(s)\(changed ? ": " + newContent.ids.joined(separator: ", ") : ", unchanged")")
        syncAdapters()
    }

    /// Command-line choices that win over the config file on reload.
    var overrides: (catalog: String?, adapters: [String]) = (nil, [])

    func liveState(stoppingNow: Bool = false) -> LiveState {
        lock.lock(); defer { lock.unlock() }
        let list = adapters.values.sorted { $0.name < $1.name }.map {
            LiveState.Adapter(name: $0.name, state: $0.state, transfers: $0.transfers, problem: $0.problem)
        }
        return LiveState(pid: getpid(), radio: radio.kind, startedAt: startedAt, updatedAt: clock.wallNow(),
                         campaign: content.campaignName, announcements: content.ids, adapters: list,
                         transfersInProgress: list.reduce(0) { $0 + $1.transfers },
                         maxTransfersPerAdapter: config.transfersPerAdapter, phonesRemembered: memory.count,
                         stopping: stoppingNow)
    }

    private func writeLiveState(force: Bool = false, stoppingNow: Bool = false) {
        var s = liveState(stoppingNow: stoppingNow)
        let path = currentConfig.liveStatePath
        var comparable = s
        comparable.updatedAt = lastLiveWrite?.updatedAt ?? s.updatedAt
        comparable.phonesRemembered = lastLiveWrite?.phonesRemembered ?? s.phonesRemembered
        // Rewrite on change, and every 10 s so `status` can tell it is alive.
        if !force, let last = lastLiveWrite, comparable == last, s.updatedAt.timeIntervalSince(last.updatedAt) < 10 { return }
        s.updatedAt = clock.wallNow()
        do {
            try AtomicFile.write(try LiveState.encoder().encode(s), to: path)
            lastLiveWrite = s
        } catch {
            log.warnOnce("live-state", "cannot write live state \(path): \(error)")
        }
    }
}
