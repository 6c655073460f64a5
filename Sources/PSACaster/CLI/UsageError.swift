/// A mistake in how the command was called: printed as one line, exit code 2.
enum UsageError: Error, CustomStringConvertible {
    case unknownCommand(String, hint: String?)
    case unknownOption(String, command: String, hint: String?)
    case missingValue(String, valueName: String, command: String)
    case flagTakesNoValue(String, command: String)
    case repeatedOption(String, command: String)
    case missingArgument(String, command: String)
    case unexpectedArgument(String, command: String)
    case badValue(String, value: String, expected: String, command: String)
    case invalid(String, command: String)   // a free-form usage problem, already phrased with its fix

    var description: String {
        func help(_ c: String) -> String { "Run 'psacaster \(c) --help' for usage." }
        switch self {
        case .unknownCommand(let name, let hint):
            let guess = hint.map { " Did you mean '\($0)'?" } ?? ""
            return "unknown command '\(name)'.\(guess) Run 'psacaster --help' for the list of commands."
        case .unknownOption(let opt, let c, let hint):
            let guess = hint.map { " Did you mean '--\($0)'?" } ?? ""
            return "\(c): unknown option '\(opt)'.\(guess) \(help(c))"
        case .missingValue(let opt, let v, let c):
            return "\(c): option '\(opt)' needs a value (\(opt) \(v)). \(help(c))"
        case .flagTakesNoValue(let opt, let c):
            return "\(c): option '\(opt)' takes no value. \(help(c))"
        case .repeatedOption(let opt, let c):
            return "\(c): option '\(opt)' was given more than once; give it once. \(help(c))"
        case .missingArgument(let name, let c):
            return "\(c): missing \(name). \(help(c))"
        case .unexpectedArgument(let arg, let c):
            return "\(c): unexpected argument '\(arg)'. \(help(c))"
        case .badValue(let opt, let value, let expected, let c):
            return "\(c): '\(value)' is not valid for \(opt): expected \(expected)."
        case .invalid(let text, let c):
            return "\(c): \(text)"
        }
    }
}
