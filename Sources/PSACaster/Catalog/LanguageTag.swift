import Foundation

/// A BCP 47 language tag checked against the real registers: the language
/// subtag must be an ISO 639 code (ISO 639-1, -2, -3 or -5), the script an
/// ISO 15924 code, the region an ISO 3166-1 code or a UN M.49 number. The
/// canonical form (`my`, `zh-Hant`, `pt-BR`) is also the catalog folder name.
struct LanguageTag: Equatable, CustomStringConvertible {
    let canonical: String
    /// The language's English name from ISO 639 ("Burmese").
    let languageName: String

    var description: String { canonical }

    /// What staff typically type, listed in hints.
    static let examples = "my (Burmese), km (Khmer), lo (Lao), tl (Tagalog), vi (Vietnamese), id (Indonesian), ms (Malay), th (Thai), en (English)"

    init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw CatalogError.malformedLanguageTag(code: text, reason: "it is empty") }
        let parts = trimmed.replacingOccurrences(of: "_", with: "-").split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            throw CatalogError.malformedLanguageTag(code: text, reason: "subtags are 1 to 8 ASCII letters or digits separated by '-'")
        }
        let language = parts[0].lowercased()
        guard language.count >= 2, language.count <= 3, language.allSatisfy(\.isLetter) else {
            if parts.count == 1, let hint = Self.hint(forName: trimmed) { throw CatalogError.unknownLanguage(code: text, hint: hint) }
            throw CatalogError.malformedLanguageTag(code: text, reason: "the language part must be a 2- or 3-letter ISO 639 code")
        }
        guard let entry = Self.registry.languages[language] else {
            let hint = Self.hint(forName: trimmed) ?? "Use an ISO 639 code such as \(Self.examples)"
            throw CatalogError.unknownLanguage(code: text, hint: hint)
        }
        var out = [entry.preferred]
        var i = 1
        if i < parts.count, parts[i].count == 4, parts[i].allSatisfy(\.isLetter) {
            let script = parts[i].prefix(1).uppercased() + parts[i].dropFirst().lowercased()
            guard Self.registry.scripts.contains(script) else {
                throw CatalogError.malformedLanguageTag(code: text, reason: "'\(parts[i])' is not an ISO 15924 script code")
            }
            out.append(script); i += 1
        }
        if i < parts.count, (parts[i].count == 2 && parts[i].allSatisfy(\.isLetter)) || (parts[i].count == 3 && parts[i].allSatisfy(\.isNumber)) {
            let region = parts[i].uppercased()
            guard region.first!.isNumber || Self.registry.regions.contains(region) else {
                throw CatalogError.malformedLanguageTag(code: text, reason: "'\(parts[i])' is not an ISO 3166-1 region code")
            }
            out.append(region); i += 1
        }
        while i < parts.count {
            let v = parts[i].lowercased()
            let isVariant = (v.count >= 5) || (v.count == 4 && v.first!.isNumber)
            guard isVariant else {
                throw CatalogError.malformedLanguageTag(code: text, reason: "'\(parts[i])' is not a script, region or variant subtag (extensions and private use are not supported in catalog folders)")
            }
            out.append(v); i += 1
        }
        canonical = out.joined(separator: "-")
        languageName = entry.name
    }

    /// "Burmese" typed instead of "my": point at the code.
    static func hint(forName name: String) -> String? {
        let key = name.lowercased()
        let matches = registry.byName[key] ?? []
        guard let first = matches.first else { return nil }
        return "'\(name)' is a language name: use its code '\(first)'" + (matches.count > 1 ? " (or \(matches.dropFirst().map { "'\($0)'" }.joined(separator: ", ")))" : "")
    }

    struct Entry { let preferred: String; let name: String }
    struct Registry {
        var languages: [String: Entry] = [:]
        var byName: [String: [String]] = [:]
        var scripts: Set<String> = []
        var regions: Set<String> = []
    }

    /// Parsed once, on first use, from the generated table.
    static let registry: Registry = {
        var r = Registry()
        for line in LanguageCodeTable.languages.split(separator: "\n") {
            let f = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            guard f.count == 3 else { continue }
            let code = String(f[0]), preferred = f[1].isEmpty ? code : String(f[1]), name = String(f[2])
            r.languages[code] = Entry(preferred: preferred, name: name)
            if preferred == code { r.byName[name.lowercased(), default: []].append(code) }
        }
        r.scripts = Set(LanguageCodeTable.scripts.split(separator: " ").map(String.init))
        r.regions = Set(LanguageCodeTable.regions.split(separator: " ").map(String.init))
        return r
    }()
}
