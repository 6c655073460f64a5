/// What a subcommand accepts, declared once: the parser, `--help` and the
/// "did you mean" hints are all derived from it.
struct OptionSpec {
    enum Kind { case flag, value, repeatedValue }
    let long: String            // without the leading "--"
    let short: Character?       // without the leading "-"
    let kind: Kind
    let valueName: String       // shown in help: --bitrate KBPS
    let help: String
    let defaultDescription: String?

    static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, kind: .flag, valueName: "", help: help, defaultDescription: nil)
    }
    static func value(_ long: String, short: Character? = nil, _ valueName: String, help: String,
                      default def: String? = nil) -> OptionSpec {
        OptionSpec(long: long, short: short, kind: .value, valueName: valueName, help: help, defaultDescription: def)
    }
    static func repeated(_ long: String, short: Character? = nil, _ valueName: String, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, kind: .repeatedValue, valueName: valueName, help: help, defaultDescription: nil)
    }
}

struct PositionalSpec {
    let name: String
    let help: String
    var optional = false
    var repeating = false
}

struct CommandSpec {
    let name: String            // "encode", or "campaign create" for nested commands
    let summary: String         // one line, shown in `psacaster --help`
    let usage: String           // after "psacaster <name> "
    var discussion: String = ""
    var positionals: [PositionalSpec] = []
    var options: [OptionSpec] = []
    var examples: [String] = []

    func option(named long: String) -> OptionSpec? { options.first { $0.long == long } }
    func option(short: Character) -> OptionSpec? { options.first { $0.short == short } }
}

/// A subcommand of `psacaster`. `run` returns the process exit code
/// (0 success, 1 failure); usage problems are thrown as `UsageError` (exit 2),
/// failures as any other error (exit 1).
protocol Command {
    static var spec: CommandSpec { get }
    static func run(_ args: ParsedArguments) throws -> Int32
}
