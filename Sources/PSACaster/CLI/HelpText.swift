/// `--help` output in the style of swift-argument-parser: overview, usage,
/// arguments, options with defaults, examples.
enum HelpText {
    static func render(_ spec: CommandSpec) -> String {
        var out = "OVERVIEW: \(spec.summary)\n"
        if !spec.discussion.isEmpty { out += "\n\(spec.discussion)\n" }
        out += "\nUSAGE: psacaster \(spec.name) \(spec.usage)\n"
        if !spec.positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            for p in spec.positionals { out += row("<\(p.name)>", p.help) }
        }
        out += "\nOPTIONS:\n"
        for o in spec.options {
            var left = o.short.map { "-\($0), " } ?? ""
            left += "--\(o.long)"
            if o.kind != .flag { left += " <\(o.valueName)>" }
            var text = o.help
            if let d = o.defaultDescription { text += " (default: \(d))" }
            if o.kind == .repeatedValue { text += " (may be repeated)" }
            out += row(left, text)
        }
        out += row("-h, --help", "Show help information.")
        if !spec.examples.isEmpty {
            out += "\nEXAMPLES:\n"
            for e in spec.examples { out += "  \(e)\n" }
        }
        return out
    }

    static func row(_ left: String, _ right: String) -> String {
        let pad = 26
        if left.count + 2 >= pad { return "  \(left)\n" + String(repeating: " ", count: pad + 2) + right + "\n" }
        return "  " + left + String(repeating: " ", count: pad - left.count) + right + "\n"
    }
}
