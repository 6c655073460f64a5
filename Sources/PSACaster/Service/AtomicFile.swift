import Foundation

/// Writes a whole file so that a power cut leaves either the old or the new
/// version, never a torn one: temporary file in the same directory, fsync,
/// rename over the target, fsync the directory.
enum AtomicFile {
    enum WriteError: Error, CustomStringConvertible {
        case system(path: String, step: String, errno: Int32)
        var description: String {
            switch self {
            case .system(let path, let step, let e):
                return "cannot write \(path) (\(step)): \(String(cString: strerror(e)))"
            }
        }
        var isDiskFull: Bool {
            if case .system(_, _, let e) = self { return e == ENOSPC || e == EDQUOT }
            return false
        }
    }

    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = "\(path).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError.system(path: path, step: "create", errno: errno) }
        var ok = false
        defer { if !ok { unlink(tmp) } }
        var failure: WriteError?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .system(path: path, step: "write", errno: errno); return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .system(path: path, step: "fsync", errno: errno) }
        close(fd)
        if let failure { throw failure }
        guard rename(tmp, path) == 0 else { throw WriteError.system(path: path, step: "rename", errno: errno) }
        ok = true
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
