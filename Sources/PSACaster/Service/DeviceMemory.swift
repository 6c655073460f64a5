import Foundation

/// What the service remembers about phones, without knowing who they are:
/// each phone is an HMAC-SHA-256 of its address under a random key that
/// lives only in this process's memory. Rotating the key forgets everyone,
/// and nothing here is ever written to disk or logged.
final class DeviceMemory {
    /// Opaque per-key token; 32 bytes of HMAC output.
    struct Token: Hashable { fileprivate let mac: [UInt8] }

    enum Decision: Equatable {
        case offer(skipping: Set<String>)       // announcement ids already delivered
        case skip(Reason)
    }
    enum Reason: String, Equatable {
        case delivered = "already served"
        case declined = "declined earlier"
        case cannotReceive = "cannot receive"
        case backingOff = "waiting to retry"
        case gaveUp = "gave up after retries"
    }

    enum Outcome: Equatable {
        /// Every offered announcement arrived.
        case delivered
        case declined
        /// Link lost, timed out, refused: `delivered` lists what did arrive.
        case failed(delivered: Set<String>)
        case cannotReceive
    }

    private struct Entry {
        var ordinal: Int
        var lastSeen: Double
        var lastSeenHour: Int = -1
        var delivered: Set<String> = []
        var deliveredAt: Double?
        var declinedAt: Double?
        var cannotReceive = false
        var failures = 0
        var nextAttempt: Double = 0
    }

    private let lock = NSLock()
    private let clock: ServiceClock
    private var rules: DeliveryRules
    private var key: [UInt8]
    private var keyCreated: Double
    private var entries: [Token: Entry] = [:]
    private var nextOrdinal = 1
    private(set) var rotations = 0

    init(rules: DeliveryRules, clock: ServiceClock) {
        self.rules = rules
        self.clock = clock
        self.key = Digest.randomBytes(32)
        self.keyCreated = clock.monotonic()
    }

    func update(rules: DeliveryRules) { lock.lock(); self.rules = rules; lock.unlock() }

    func token(for address: DeviceAddress) -> Token {
        lock.lock(); defer { lock.unlock() }
        return Token(mac: Digest.hmacSHA256(key: key, message: address.bytes))
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    /// Replaces the key and forgets every phone when the rotation is due.
    /// Returns true if it rotated.
    @discardableResult
    func rotateIfDue() -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard clock.monotonic() - keyCreated >= rules.keyRotationSeconds else { return false }
        rotateLocked()
        return true
    }

    func rotateNow() { lock.lock(); rotateLocked(); lock.unlock() }

    private func rotateLocked() {
        // Overwrite before dropping: the old key should not linger in freed memory.
        for i in key.indices { key[i] = 0 }
        key = Digest.randomBytes(32)
        keyCreated = clock.monotonic()
        entries.removeAll()
        nextOrdinal = 1
        rotations += 1
    }

    /// Notes a sighting. Returns the per-run phone number used in logs and
    /// whether this is the first sighting in the current `hour` bucket
    /// (the stats count each phone once per hour as "seen").
    func sighted(_ token: Token, hour: Int) -> (ordinal: Int, firstThisHour: Bool) {
        lock.lock(); defer { lock.unlock() }
        let now = clock.monotonic()
        if entries[token] == nil {
            if entries.count >= rules.maxRememberedDevices { evictLocked() }
            entries[token] = Entry(ordinal: nextOrdinal, lastSeen: now)
            nextOrdinal += 1
        }
        entries[token]!.lastSeen = now
        let first = entries[token]!.lastSeenHour != hour
        entries[token]!.lastSeenHour = hour
        return (entries[token]!.ordinal, first)
    }

    /// Whether to offer the campaign to this phone now.
    func decision(for token: Token, campaign: [String]) -> Decision {
        lock.lock(); defer { lock.unlock() }
        guard let e = entries[token] else { return .offer(skipping: []) }
        let now = clock.monotonic()
        if e.cannotReceive { return .skip(.cannotReceive) }
        if let d = e.declinedAt {
            if let forget = rules.declinedForgetSeconds, now - d >= forget {
                // Falls through: the decline has been forgotten by rule.
            } else {
                return .skip(.declined)
            }
        }
        var already = e.delivered
        if let at = e.deliveredAt, now - at >= rules.campaignWindowSeconds {
            already = []   // the campaign window passed: offer again
        }
        if !campaign.isEmpty, campaign.allSatisfy({ already.contains($0) }) { return .skip(.delivered) }
        if e.failures > 0 {
            if e.failures > rules.maxRetries { return .skip(.gaveUp) }
            if now < e.nextAttempt { return .skip(.backingOff) }
        }
        return .offer(skipping: already)
    }

    func record(_ outcome: Outcome, for token: Token, offered: [String]) {
        lock.lock(); defer { lock.unlock() }
        let now = clock.monotonic()
        var e = entries[token] ?? Entry(ordinal: nextOrdinal, lastSeen: now)
        if entries[token] == nil { nextOrdinal += 1 }
        if let at = e.deliveredAt, now - at >= rules.campaignWindowSeconds {
            e.delivered = []; e.deliveredAt = nil
        }
        switch outcome {
        case .delivered:
            e.delivered.formUnion(offered)
            e.deliveredAt = e.deliveredAt ?? now
            e.failures = 0
        case .declined:
            e.declinedAt = now
            e.failures = 0
        case .failed(let got):
            e.delivered.formUnion(got)
            if !got.isEmpty { e.deliveredAt = e.deliveredAt ?? now }
            e.failures += 1
            e.nextAttempt = now + rules.retryBackoffSeconds * pow(2, Double(e.failures - 1))
        case .cannotReceive:
            e.cannotReceive = true
        }
        entries[token] = e
    }

    func ordinal(of token: Token) -> Int? {
        lock.lock(); defer { lock.unlock() }
        return entries[token]?.ordinal
    }

    /// Drops the least recently seen phones, sparing declines (a phone that
    /// said no must not be asked again just because of a flood).
    private func evictLocked() {
        let n = max(1, rules.maxRememberedDevices / 10)
        var candidates = entries.filter { $0.value.declinedAt == nil }.map { ($0.key, $0.value.lastSeen) }
        if candidates.count < n { candidates = entries.map { ($0.key, $0.value.lastSeen) } }
        candidates.sort { $0.1 < $1.1 }
        for (k, _) in candidates.prefix(n) { entries.removeValue(forKey: k) }
    }
}
