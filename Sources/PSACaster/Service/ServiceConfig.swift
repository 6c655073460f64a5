import Foundation

/// The service's settings, read from a JSON file (docs/config.md) and
/// validated at start: a mistake is one line naming the setting and the fix.
struct ServiceConfig: Equatable {
    enum CampaignChoice: Equatable {
        case catalogDefault                 // the catalog's first campaign, else every approved announcement
        case named(String)
        case inline(Campaign)
    }

    /// Like the catalog commands: $PSACASTER_CATALOG, else ./Audio.
    var catalogDirectory = CatalogStore.locate(option: nil).root.path
    var campaign: CampaignChoice = .catalogDefault
    var adapters: [String] = []             // empty: every adapter present
    var visibleName = "Info Point"
    var transfersPerAdapter = 4
    var scanSeconds = 4.0
    var scanPauseSeconds = 1.0
    var connectTimeoutSeconds = 15.0
    var answerTimeoutSeconds = 60.0
    var packetTimeoutSeconds = 15.0
    var rules = DeliveryRules()
    var stateDirectory = ServiceConfig.defaultStateDirectory
    var statsFlushSeconds = 30.0
    /// Pause after each session before the adapter's slot is free again.
    /// 0 on real radios; the VM's emulator needs the last link gone first.
    var linkGapSeconds = 0.0
    var logLevel: ServiceLog.Level = .info

    static let maxTransfersPerAdapter = 7

    static var defaultStateDirectory: String {
        // systemd's StateDirectory= exports this.
        if let d = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !d.isEmpty {
            return String(d.split(separator: ":").first ?? Substring(d))
        }
        return "/var/lib/psacaster"
    }

    var statsPath: String { (stateDirectory as NSString).appendingPathComponent("stats.json") }
    var liveStatePath: String { (stateDirectory as NSString).appendingPathComponent("live.json") }

    struct Invalid: Error, CustomStringConvertible {
        let source: String
        let message: String
        var description: String { "\(source): \(message)" }
    }

    static let knownKeys: [String] = [
        "catalog", "campaign", "adapters", "visibleName", "transfersPerAdapter", "scanSeconds",
        "scanPauseSeconds", "connectTimeoutSeconds", "answerTimeoutSeconds", "packetTimeoutSeconds",
        "campaignWindowHours", "declinedForgetHours", "maxRetries", "retryBackoffSeconds",
        "keyRotationHours", "stateDirectory", "statsFlushSeconds", "logLevel", "linkGapSeconds",
    ]

    static func load(path: String) throws -> ServiceConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Invalid(source: "config \(path)", message: "cannot be read (\((error as NSError).localizedDescription)). Check the path given to --config")
        }
        var c = try parse(data, source: "config \(path)")
        // A relative catalog or state path is relative to the config file.
        let base = (path as NSString).deletingLastPathComponent
        if !c.catalogDirectory.hasPrefix("/") { c.catalogDirectory = (base as NSString).appendingPathComponent(c.catalogDirectory) }
        if !c.stateDirectory.hasPrefix("/") { c.stateDirectory = (base as NSString).appendingPathComponent(c.stateDirectory) }
        return c
    }

    static func parse(_ data: Data, source: String) throws -> ServiceConfig {
        func fail(_ m: String) -> Invalid { Invalid(source: source, message: m) }
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("is not valid JSON (\(jsonErrorHint(error))). Fix the syntax; docs/config.md shows an example")
        }
        guard let obj = any as? [String: Any] else { throw fail("must be a JSON object { ... }") }
        for key in obj.keys.sorted() where !knownKeys.contains(key) {
            let hint = ParsedArguments.closest(to: key, in: knownKeys).map { " Did you mean '\($0)'?" } ?? ""
            throw fail("unknown setting '\(key)'.\(hint) docs/config.md lists the settings")
        }
        var c = ServiceConfig()

        func string(_ k: String) throws -> String? {
            guard let v = obj[k] else { return nil }
            guard let s = v as? String, !s.isEmpty else { throw fail("'\(k)' must be a non-empty string") }
            return s
        }
        func number(_ k: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let v = obj[k], !(v is NSNull) else { return nil }
            guard !isBool(v), let n = v as? NSNumber, range.contains(n.doubleValue) else {
                throw fail("'\(k)' must be a number from \(fmt(range.lowerBound)) to \(fmt(range.upperBound)) (got \(describe(v)))")
            }
            return n.doubleValue
        }
        func integer(_ k: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let d = try number(k, Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
            guard d == d.rounded() else { throw fail("'\(k)' must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(fmt(d)))") }
            return Int(d)
        }

        if let s = try string("catalog") { c.catalogDirectory = s }
        if let v = obj["campaign"] {
            if let name = v as? String, !name.isEmpty {
                c.campaign = .named(name)
            } else if let o = v as? [String: Any] {
                let ids = o["announcements"] as? [String]
                let langs = o["languages"] as? [String]
                let extra = Set(o.keys).subtracting(["announcements", "languages", "name"])
                guard extra.isEmpty, (ids == nil) != (langs == nil), !(ids ?? langs ?? []).isEmpty else {
                    throw fail("'campaign' must be a campaign name from the catalog, or {\"announcements\": [ids...]} or {\"languages\": [codes...]}")
                }
                c.campaign = .inline(Campaign(name: (o["name"] as? String) ?? "config", announcements: ids, languages: langs))
            } else {
                throw fail("'campaign' must be a campaign name from the catalog, or {\"announcements\": [ids...]} or {\"languages\": [codes...]}")
            }
        }
        if let v = obj["adapters"] {
            guard let list = v as? [String], list.allSatisfy(isAdapterName) else {
                throw fail("'adapters' must be a list of adapter names like [\"hci0\", \"hci1\"] (empty: use every adapter)")
            }
            c.adapters = list
        }
        if let s = try string("visibleName") {
            guard s.utf8.count <= 248, !s.contains(where: { $0.isNewline }) else {
                throw fail("'visibleName' must be one line of at most 248 bytes (Bluetooth's limit)")
            }
            c.visibleName = s
        }
        if let n = try integer("transfersPerAdapter", 1...maxTransfersPerAdapter) { c.transfersPerAdapter = n }
        if let n = try number("scanSeconds", 1...60) { c.scanSeconds = n }
        if let n = try number("scanPauseSeconds", 0...600) { c.scanPauseSeconds = n }
        if let n = try number("connectTimeoutSeconds", 1...120) { c.connectTimeoutSeconds = n }
        if let n = try number("answerTimeoutSeconds", 1...600) { c.answerTimeoutSeconds = n }
        if let n = try number("packetTimeoutSeconds", 1...120) { c.packetTimeoutSeconds = n }
        if let n = try number("campaignWindowHours", 0...(24 * 365)) { c.rules.campaignWindowSeconds = n * 3600 }
        if obj["declinedForgetHours"] != nil {
            c.rules.declinedForgetSeconds = try number("declinedForgetHours", 0...(24 * 365)).map { $0 * 3600 }
        }
        if let n = try integer("maxRetries", 0...10) { c.rules.maxRetries = n }
        if let n = try number("retryBackoffSeconds", 0...86400) { c.rules.retryBackoffSeconds = n }
        if let n = try number("keyRotationHours", 0.001...(24 * 30)) { c.rules.keyRotationSeconds = n * 3600 }
        if let s = try string("stateDirectory") { c.stateDirectory = s }
        if let n = try number("statsFlushSeconds", 0.1...3600) { c.statsFlushSeconds = n }
        if let n = try number("linkGapSeconds", 0...60) { c.linkGapSeconds = n }
        if let s = try string("logLevel") {
            guard let l = ServiceLog.Level(name: s) else { throw fail("'logLevel' must be one of debug, info, warning, error (got \"\(s)\")") }
            c.logLevel = l
        }
        return c
    }

    static func isAdapterName(_ s: String) -> Bool {
        s.hasPrefix("hci") && s.count > 3 && s.dropFirst(3).allSatisfy(\.isNumber)
    }

    private static func fmt(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
    private static func describe(_ v: Any) -> String {
        if let s = v as? String { return "\"\(s)\"" }
        if v is NSNull { return "null" }
        if isBool(v), let b = v as? Bool { return b ? "true" : "false" }
        if let n = v as? NSNumber { return fmt(n.doubleValue) }
        return "a \(type(of: v))"
    }
    /// JSON true/false arrive as NSNumber too; tell them apart by their C type.
    private static func isBool(_ v: Any) -> Bool {
        guard let n = v as? NSNumber else { return false }
        return String(cString: n.objCType) == "c" && String(describing: type(of: v)).contains("Boolean")
    }
    private static func jsonErrorHint(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
