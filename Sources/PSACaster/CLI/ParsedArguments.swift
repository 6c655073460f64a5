/// The result of parsing one subcommand's arguments against its `CommandSpec`.
struct ParsedArguments {
    let spec: CommandSpec
    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(spec: CommandSpec, arguments: [String]) throws {
        self.spec = spec
        var i = 0
        var onlyPositionals = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
                positionals.append(arg)
                continue
            }
            if arg == "--" { onlyPositionals = true; continue }
            var inlineValue: String?
            let option: OptionSpec
            if arg.hasPrefix("--") {
                var name = String(arg.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard let found = spec.option(named: name) else {
                    throw UsageError.unknownOption(arg, command: spec.name, hint: Self.closest(to: name, in: spec.options.map(\.long)))
                }
                option = found
            } else {
                let body = arg.dropFirst()
                guard body.count == 1, let found = spec.option(short: body.first!) else {
                    throw UsageError.unknownOption(arg, command: spec.name, hint: nil)
                }
                option = found
            }
            switch option.kind {
            case .flag:
                if inlineValue != nil { throw UsageError.flagTakesNoValue("--\(option.long)", command: spec.name) }
                flags.insert(option.long)
            case .value, .repeatedValue:
                let value: String
                if let inlineValue { value = inlineValue } else {
                    guard i < arguments.count else { throw UsageError.missingValue("--\(option.long)", valueName: option.valueName, command: spec.name) }
                    value = arguments[i]
                    i += 1
                }
                if option.kind == .value, values[option.long] != nil {
                    throw UsageError.repeatedOption("--\(option.long)", command: spec.name)
                }
                values[option.long, default: []].append(value)
            }
        }
        let required = spec.positionals.filter { !$0.optional }.count
        if positionals.count < required {
            let missing = spec.positionals[positionals.count]
            throw UsageError.missingArgument(missing.name, command: spec.name)
        }
        let repeating = spec.positionals.last?.repeating ?? false
        if !repeating, positionals.count > spec.positionals.count {
            throw UsageError.unexpectedArgument(positionals[spec.positionals.count], command: spec.name)
        }
    }

    func flag(_ long: String) -> Bool {
        precondition(spec.option(named: long)?.kind == .flag, "undeclared flag --\(long)")
        return flags.contains(long)
    }

    func value(_ long: String) -> String? {
        precondition(spec.option(named: long) != nil, "undeclared option --\(long)")
        return values[long]?.last
    }

    func values(_ long: String) -> [String] {
        precondition(spec.option(named: long) != nil, "undeclared option --\(long)")
        return values[long] ?? []
    }

    func positional(_ index: Int) -> String? { index < positionals.count ? positionals[index] : nil }

    /// An integer option, checked against a range, with a usage error naming the bounds.
    func integer(_ long: String, default def: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = value(long) else { return def }
        guard let n = Int(text), range.contains(n) else {
            throw UsageError.badValue("--\(long)", value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)", command: spec.name)
        }
        return n
    }

    /// A decimal option (seconds, ratios), checked against a range.
    func decimal(_ long: String, default def: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = value(long) else { return def }
        guard let n = Double(text), n.isFinite, range.contains(n) else {
            throw UsageError.badValue("--\(long)", value: text, expected: "a number from \(range.lowerBound) to \(range.upperBound)", command: spec.name)
        }
        return n
    }

    /// The closest known option name, for "did you mean --x?" hints.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
