import Foundation

/// Crash-safe file operations for the catalog. A power cut or kill -9 at any
/// instant leaves either the old or the new content under a name, never a
/// half: data goes to a temporary name in the same folder, is fsynced, then
/// renamed over the target, and the folder itself is fsynced so the rename
/// survives a power cut too.
/// The service's stats and live-state files use it too, with their own wording
/// of a failure (`failure:`); the catalog's is the default.
enum DurableFile {
    /// Turns a failed system call (errno, what was being done, path) into the
    /// error the caller's users can act on.
    typealias FailureWording = (_ errno: Int32, _ operation: String, _ path: String) -> Error

    /// Prefix of every temporary name, so a later writer can sweep leftovers.
    static let temporaryPrefix = ".psacaster-tmp-"

    /// Replaces `url` with `data` atomically and durably.
    static func write(_ data: Data, to url: URL, failure: FailureWording = CatalogError.fromErrno) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(url.lastPathComponent)")
        do {
            try writeNew(data, at: temp, failure: failure)
            try rename(temp, to: url, failure: failure)
        } catch {
            unlink(temp.path)
            throw error
        }
    }

    /// Creates `url` (which must not exist) with `data`, fsynced.
    static func writeNew(_ data: Data, at url: URL, failure: FailureWording = CatalogError.fromErrno) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno, "create", url.path) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var done = 0
            while done < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(errno, "write", url.path)
                }
                done += n
            }
        }
        guard fsync(fd) == 0 else { throw failure(errno, "fsync", url.path) }
    }

    /// Flushes a file already written by someone else (the encoder) to disk.
    static func sync(file url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CatalogError.fromErrno(errno, operation: "open", path: url.path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw CatalogError.fromErrno(errno, operation: "fsync", path: url.path) }
    }

    /// rename(2) then fsync of the destination folder (and the source folder
    /// when it differs), so the new name is on disk before we go on.
    static func rename(_ from: URL, to: URL, failure: FailureWording = CatalogError.fromErrno) throws {
        guard Glibc.rename(from.path, to.path) == 0 else {
            throw failure(errno, "rename \(from.lastPathComponent) to", to.path)
        }
        let fromDir = from.deletingLastPathComponent(), toDir = to.deletingLastPathComponent()
        try syncDirectory(toDir, failure: failure)
        if fromDir.standardizedFileURL.path != toDir.standardizedFileURL.path { try syncDirectory(fromDir, failure: failure) }
    }

    /// Removes a file and makes the removal durable.
    static func remove(_ url: URL) throws {
        if unlink(url.path) != 0 && errno != ENOENT {
            throw CatalogError.fromErrno(errno, operation: "remove", path: url.path)
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    static func syncDirectory(_ url: URL, failure: FailureWording = CatalogError.fromErrno) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(errno, "open folder", url.path) }
        defer { close(fd) }
        // Some filesystems (tmpfs) report EINVAL for directory fsync: nothing to flush.
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
            throw failure(errno, "fsync folder", url.path)
        }
    }

    /// mkdir that is durable: the new folder's entry is fsynced in its parent.
    static func makeDirectory(_ url: URL) throws {
        if mkdir(url.path, 0o755) == 0 {
            try syncDirectory(url.deletingLastPathComponent())
        } else if errno != EEXIST {
            throw CatalogError.fromErrno(errno, operation: "create folder", path: url.path)
        }
    }
}
