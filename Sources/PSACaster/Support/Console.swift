import Foundation

/// Where the tool talks to people. Errors are one line on stderr, prefixed
/// "psacaster: ", so scripts and journald see one record per problem.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("psacaster: \(message)\n".utf8))
    }

    /// Informational lines that are not the command's data (progress, warnings).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// True when stderr is a terminal, so progress lines may redraw in place.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Prints a value as JSON (sorted keys, stable for scripts and tests).
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}
