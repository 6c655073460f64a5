/// Turns a name a peer sent into a safe file name: the last path part only,
/// no control or invisible format characters (a right-to-left override could
/// disguise `gpj.exe`), no characters Windows or Android reject, no leading
/// dot, bounded length with the extension kept, and a neutral fallback when
/// nothing usable is left.
public enum FileNameSanitizer {
    /// Longest file name produced, in UTF-8 bytes (ext4 allows 255).
    public static let maximumBytes = 200

    public static func sanitize(_ name: String, fallbackExtension: String? = nil) -> String {
        // The last path component, with either separator.
        let lastPart = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for s in lastPart.unicodeScalars {
            switch s.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                continue
            case .spaceSeparator:
                scalars.append(" ")
            default:
                scalars.append(":\"<>*?|".unicodeScalars.contains(s) ? "_" : s)
            }
        }
        var cleaned = String(scalars)
        // No hidden files, no "." or "..", no trailing dots or spaces.
        while let f = cleaned.first, f == "." || f == " " { cleaned.removeFirst() }
        while let l = cleaned.last, l == "." || l == " " { cleaned.removeLast() }
        if cleaned.isEmpty {
            let ext = fallbackExtension.map { "." + asciiOnly($0) } ?? ""
            return "received" + (ext == "." ? "" : ext)
        }
        return bounded(cleaned)
    }

    /// An ASCII-only version of an already sanitised name, for file systems
    /// that refuse the Unicode one: every non-ASCII character becomes `_`.
    public static func asciiFallback(_ sanitized: String) -> String {
        let ascii = asciiOnly(sanitized)
        let base = ascii.split(separator: ".", omittingEmptySubsequences: false).first ?? ""
        if base.allSatisfy({ $0 == "_" }) {
            let ext = extensionOf(ascii).map { "." + $0 } ?? ""
            return "received" + ext
        }
        return ascii
    }

    static func asciiOnly(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.isASCII && u.value >= 0x20 && u.value != 0x7F && !":\"<>*?|/\\".unicodeScalars.contains(u) {
                out.unicodeScalars.append(u)
            } else if out.last != "_" {
                out.append("_")
            }
        }
        return out
    }

    static func extensionOf(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty || ext.utf8.count > 16 ? nil : String(ext)
    }

    /// Cuts the base name (at a character boundary) so the whole name fits
    /// `maximumBytes`, keeping a short extension.
    static func bounded(_ name: String) -> String {
        guard name.utf8.count > maximumBytes else { return name }
        let ext = extensionOf(name).map { "." + $0 } ?? ""
        var base = ext.isEmpty ? name : String(name.dropLast(ext.count))
        while base.utf8.count + ext.utf8.count > maximumBytes { base.removeLast() }
        return base + ext
    }
}
