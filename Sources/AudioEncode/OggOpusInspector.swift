import Foundation

/// Reads an Ogg Opus file from disk and reports what it holds and what is
/// wrong with it. The catalog uses it to accept existing `.opus` files.
///
///     let info = try OggOpusInspector.inspect(path: "helpline-vi.opus")
///     if !info.isValid { print(info.faults) }
///
/// Throws `AudioEncodeError` only when the file cannot be read at all; a
/// damaged or non-Opus file comes back with `faults` filled in.
public enum OggOpusInspector {
    /// Announcements are tens of kilobytes; refuse to load anything absurd.
    public static let maxBytes = 64 << 20

    public static func inspect(path: String) throws -> OggOpusInfo {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioEncodeError.inspectUnreadable(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw AudioEncodeError.inspectUnreadable(path: path, reason: "it is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AudioEncodeError.inspectUnreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw AudioEncodeError.inspectUnreadable(path: path, reason: "read error (\(error.localizedDescription))")
        }
        if data.count > maxBytes { throw AudioEncodeError.inspectTooLarge(path: path, bytes: data.count) }
        return OggOpusReader.read([UInt8](data))
    }
}
