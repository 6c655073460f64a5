import Foundation

/// What `--simulate SPEC` asks for: how many phones of each behaviour, and
/// their timing. SPEC is "demo" or comma-separated key=value pairs:
///   accept=N decline=N vanish=N silent=N noopp=N hostile=N flaky=N
///   decide=A-B   seconds a phone's user takes to answer (uniform, seeded)
///   arrive=S     phones appear one by one over S seconds (0: all at once)
///   stay=S       each phone leaves S seconds after it appeared (0: stays)
///   adapters=N   simulated adapters
///   scan=S       length of one simulated inquiry window
///   seed=N       for the random decide times
///   dir=PATH     where phones keep what they receive (default: a temp dir)
struct SimulationSpec: Equatable {
    enum Behaviour: String, CaseIterable {
        case accept      // accepts every announcement after `decide` seconds
        case decline     // declines after `decide` seconds (0xC3, like Android)
        case vanish      // disappears while its user decides (link lost)
        case silent      // takes the connection and never answers
        case noopp       // has no Object Push service (an iPhone, a headset)
        case hostile     // answers with garbage
        case flaky       // vanishes the first time, accepts on a retry

        var describe: String {
            switch self {
            case .accept: return "accepts"
            case .decline: return "declines"
            case .vanish: return "walks away mid-transfer"
            case .silent: return "never answers"
            case .noopp: return "cannot receive files"
            case .hostile: return "answers with garbage"
            case .flaky: return "drops out once, then accepts"
            }
        }
    }

    var counts: [Behaviour: Int] = [:]
    var decide: ClosedRange<Double> = 0.2...1.0
    var arrive: Double = 0
    var stay: Double = 0
    var adapters = 1
    var scan: Double = 0.3
    var seed: UInt64 = 1
    var directory: String?

    static let demo = "accept=5,decline=1,vanish=1,silent=1,noopp=1,hostile=1,flaky=1,decide=0.5-2,arrive=6"

    /// Timings for a simulation run without a config file: the phones live
    /// on loopback, so waits sized for radios would only make the demo slow.
    func applyDefaults(to c: inout ServiceConfig) {
        c.connectTimeoutSeconds = 3
        c.answerTimeoutSeconds = max(5, decide.upperBound * 2)
        c.packetTimeoutSeconds = 3
        c.rules.retryBackoffSeconds = 2
        c.scanPauseSeconds = 0.1
        c.statsFlushSeconds = 2
    }

    var phoneCount: Int { counts.values.reduce(0, +) }

    struct Invalid: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func parse(_ text: String) throws -> SimulationSpec {
        if text == "demo" { return try parse(demo) }
        var s = SimulationSpec()
        func bad(_ m: String) -> Invalid {
            Invalid(message: "--simulate: \(m). Example: --simulate accept=8,decline=2,vanish=1,decide=1-3,arrive=10 (or --simulate demo)")
        }
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw bad("'\(part)' is not key=value") }
            let (k, v) = (kv[0], kv[1])
            func number(_ range: ClosedRange<Double>) throws -> Double {
                guard let d = Double(v), range.contains(d) else { throw bad("\(k) must be a number from \(range.lowerBound) to \(range.upperBound)") }
                return d
            }
            if let b = Behaviour(rawValue: k) {
                s.counts[b] = Int(try number(0...500))
                continue
            }
            switch k {
            case "decide":
                let ends = v.split(separator: "-").compactMap { Double($0) }
                guard (1...2).contains(ends.count), ends.allSatisfy({ $0 >= 0 && $0 <= 600 }), ends.first! <= ends.last! else {
                    throw bad("decide must be seconds like 3 or 3-20")
                }
                s.decide = ends.first!...ends.last!
            case "arrive": s.arrive = try number(0...86400)
            case "stay": s.stay = try number(0...86400)
            case "adapters": s.adapters = Int(try number(1...8))
            case "scan": s.scan = try number(0.01...60)
            case "seed": s.seed = UInt64(try number(0...1e15))
            case "dir": s.directory = v
            default:
                let keys = Behaviour.allCases.map(\.rawValue) + ["decide", "arrive", "stay", "adapters", "scan", "seed", "dir"]
                let hint = ParsedArguments.closest(to: k, in: keys).map { " (did you mean '\($0)'?)" } ?? ""
                throw bad("unknown key '\(k)'\(hint)")
            }
        }
        guard s.phoneCount > 0 else { throw bad("no phones: give at least one of accept=N, decline=N, ...") }
        return s
    }
}
