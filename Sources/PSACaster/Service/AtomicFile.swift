import Foundation

/// The service's state files (stats.json, live.json) are replaced the way the
/// catalog's are (`DurableFile`: temp file, fsync, rename, folder fsync), so a
/// power cut leaves the old or the new version, never a torn one. Only the
/// wording of a failure differs: it is about the service's state, not the catalog.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let step: String
        let errno: Int32
        var description: String { "cannot write \(path) (\(step)): \(String(cString: strerror(errno)))" }
        var isDiskFull: Bool { errno == ENOSPC || errno == EDQUOT }
    }

    static func write(_ data: Data, to path: String) throws {
        try DurableFile.write(data, to: URL(fileURLWithPath: path)) { code, step, _ in
            WriteError(path: path, step: step, errno: code)
        }
    }
}
