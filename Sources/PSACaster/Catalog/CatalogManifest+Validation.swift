import Foundation

/// Reading, writing and checking `catalog.json`. A manifest is checked
/// whole before it is written and after it is read, so a hand edit that
/// breaks it is caught with a reason instead of half-working.
extension CatalogManifest {
    static func decode(_ data: Data, path: String) throws -> CatalogManifest {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CatalogError.manifestUnreadable(path: path, reason: Self.jsonReason(error, data: data))
        }
        guard let top = object as? [String: Any] else {
            throw CatalogError.manifestInvalid(path: path, reason: "the top level is not a JSON object")
        }
        let format = top["format"] as? String ?? ""
        guard format == formatName else { throw CatalogError.notACatalog(path: path, format: format) }
        guard let version = top["version"] as? Int else {
            throw CatalogError.manifestInvalid(path: path, reason: "'version' is missing or not a whole number")
        }
        guard version <= currentVersion else { throw CatalogError.manifestFromNewerVersion(path: path, version: version) }
        let manifest: CatalogManifest
        do {
            manifest = try jsonDecoder.decode(CatalogManifest.self, from: data)
        } catch let error as DecodingError {
            throw CatalogError.manifestInvalid(path: path, reason: Self.decodingReason(error))
        }
        try manifest.validate(path: path)
        return manifest
    }

    func encoded() throws -> Data {
        var data = try Self.jsonEncoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Every rule the store relies on. Throws the first broken one.
    func validate(path: String = "catalog.json") throws {
        func bad(_ reason: String) -> CatalogError { .manifestInvalid(path: path, reason: reason) }
        guard version >= 1 else { throw bad("'version' must be 1 or more") }
        var ids = Set<String>(), files = Set<String>(), titles = Set<String>()
        for a in announcements {
            guard Self.isValidID(a.id) else { throw bad("announcement id '\(a.id)' must be lowercase ASCII letters, digits and '-'") }
            guard ids.insert(a.id).inserted else { throw bad("announcement id '\(a.id)' appears twice") }
            guard let tag = try? LanguageTag(a.language), tag.canonical == a.language else {
                throw bad("announcement \(a.id) has language '\(a.language)', not a canonical BCP 47 tag")
            }
            let parts = a.file.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == a.language, DeliveryName.isValid(String(parts[1])) else {
                throw bad("announcement \(a.id) has file '\(a.file)': it must be '\(a.language)/<ascii-name>.opus'")
            }
            guard files.insert(a.deliveryName.lowercased()).inserted else {
                throw bad("delivery name '\(a.deliveryName)' is used twice")
            }
            guard titles.insert(Self.titleKey(a.title, a.language)).inserted else {
                throw bad("title '\(a.title)' appears twice in '\(a.language)'")
            }
            guard !a.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw bad("announcement \(a.id) has an empty title") }
            guard a.sizeBytes > 0, a.durationSeconds.isFinite, a.durationSeconds >= 0 else {
                throw bad("announcement \(a.id) has a bad size or duration")
            }
            guard a.sha256.count == 64, a.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw bad("announcement \(a.id) has a sha256 that is not 64 lowercase hex digits")
            }
            if let approval = a.approval, approval.by.trimmingCharacters(in: .whitespaces).isEmpty {
                throw bad("announcement \(a.id) is approved by nobody")
            }
        }
        var names = Set<String>()
        for c in campaigns {
            guard !c.name.isEmpty else { throw bad("a campaign has an empty name") }
            guard names.insert(c.name).inserted else { throw bad("campaign '\(c.name)' appears twice") }
            switch (c.announcements, c.languages) {
            case (let list?, nil):
                if let missing = list.first(where: { !ids.contains($0) }) {
                    throw bad("campaign '\(c.name)' names announcement '\(missing)', which is not in the catalog")
                }
            case (nil, let langs?):
                if let badLang = langs.first(where: { (try? LanguageTag($0))?.canonical != $0 }) {
                    throw bad("campaign '\(c.name)' names language '\(badLang)', not a canonical BCP 47 tag")
                }
            default:
                throw bad("campaign '\(c.name)' must list either announcements or languages")
            }
        }
    }

    /// Titles are compared the way people read them: case, spacing and
    /// Unicode composition do not make two titles different.
    static func titleKey(_ title: String, _ language: String) -> String {
        let words = title.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace)
        return language + "\u{0}" + words.joined(separator: " ")
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.first != "-" && id.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-"
        }
    }

    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let jsonDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    private static func jsonReason(_ error: Error, data: Data) -> String {
        let ns = error as NSError
        if let text = ns.userInfo[NSDebugDescriptionErrorKey] as? String {
            return text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        }
        return data.isEmpty ? "the file is empty" : "it does not parse as JSON"
    }

    private static func decodingReason(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "'\(key.stringValue)' is missing at \(at(ctx.codingPath))"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "wrong value at \(at(ctx.codingPath)): \(ctx.debugDescription)"
        case .dataCorrupted(let ctx): return "bad value at \(at(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}
