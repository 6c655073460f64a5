import XCTest
@testable import PSACaster

/// Looks for a phone's address in every notation a careless log line or
/// file could use: AA:BB:CC:DD:EE:FF, aa-bb-…, aabbccddeeff, reversed byte
/// order (how BlueZ's bdaddr_t sits in memory), and dev_AA_BB_… (D-Bus paths).
enum PrivacyAudit {
    static func notations(_ a: DeviceAddress) -> [String] {
        var out: [String] = []
        for bytes in [a.bytes, a.bytes.reversed()] {
            let hex = bytes.map { hex2($0) }
            for sep in [":", "-", "", "_", " ", "."] {
                out.append(hex.joined(separator: sep))
            }
        }
        // Cisco-style groups of four.
        let h = a.bytes.map { hex2($0) }.joined()
        out.append([0, 4, 8].map { String(Array(h)[$0..<$0 + 4]) }.joined(separator: "."))
        return out
    }

    static func find(_ a: DeviceAddress, in text: String) -> String? {
        let lower = text.lowercased()
        return notations(a).first { lower.contains($0) }
    }

    static func assertNoAddress(_ a: DeviceAddress, in text: String, where place: String, file: StaticString = #filePath, line: UInt = #line) {
        if let hit = find(a, in: text) { XCTFail("\(place) contains a phone address as \(hit)", file: file, line: line) }
    }

    /// Every regular file under `dir`, as text.
    static func filesText(under dir: String) -> [(String, String)] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [(String, String)] = []
        while let rel = e.nextObject() as? String {
            let p = (dir as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue,
               let d = FileManager.default.contents(atPath: p) {
                out.append((rel, String(decoding: d, as: UTF8.self)))
            }
        }
        return out
    }
}
