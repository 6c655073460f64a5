import Foundation

/// The file name a phone receives and shows on its lock screen: short,
/// neutral, plain ASCII (old phones mangle anything else) and ending in
/// `.opus` (Android picks the MIME type from the extension).
enum DeliveryName {
    static let maxLength = 60

    static func isValid(_ name: String) -> Bool {
        guard name.hasSuffix(".opus"), name.count > 5, name.count <= maxLength, !name.hasPrefix("."), !name.hasPrefix("-") else { return false }
        return name.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    /// Lowercase ASCII words of `text` joined by '-': "Helpline — free & safe!"
    /// → "helpline-free-safe". Letters with accents lose them; scripts with no
    /// Latin form (Burmese, Khmer) give "", and callers fall back to a neutral word.
    static func slug(_ text: String, maxLength: Int = 32) -> String {
        let latin = text.applyingTransform(.stripDiacritics, reverse: false) ?? text
        var out = ""
        var pendingDash = false
        for scalar in latin.lowercased().unicodeScalars {
            let isAlnum = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if isAlnum {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
            if out.count > maxLength { break }
        }
        if out.count > maxLength {
            // Cut at a word boundary when there is one.
            out = String(out.prefix(maxLength + 1))
            if let dash = out.lastIndex(of: "-"), out.distance(from: out.startIndex, to: dash) > maxLength / 2 {
                out = String(out[..<dash])
            } else {
                out = String(out.prefix(maxLength))
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// `base`, or `base-2`, `base-3`… : the first not in `taken`.
    static func unique(_ base: String, suffix: String = "", taken: Set<String>) -> String {
        if !taken.contains((base + suffix).lowercased()) { return base + suffix }
        var n = 2
        while taken.contains("\(base)-\(n)\(suffix)".lowercased()) { n += 1 }
        return "\(base)-\(n)\(suffix)"
    }
}
