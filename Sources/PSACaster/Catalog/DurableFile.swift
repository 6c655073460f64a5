import Foundation

/// Crash-safe file operations for the catalog. A power cut or kill -9 at any
/// instant leaves either the old or the new content under a name, never a
/// half: data goes to a temporary name in the same folder, is fsynced, then
/// renamed over the target, and the folder itself is fsynced so the rename
/// survives a power cut too.
enum DurableFile {
    /// Prefix of every temporary name, so a later writer can sweep leftovers.
    static let temporaryPrefix = ".psacaster-tmp-"

    /// Replaces `url` with `data` atomically and durably.
    static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(url.lastPathComponent)")
        do {
            try writeNew(data, at: temp)
            try rename(temp, to: url)
        } catch {
            unlink(temp.path)
            throw error
        }
    }

    /// Creates `url` (which must not exist) with `data`, fsynced.
    static func writeNew(_ data: Data, at url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CatalogError.fromErrno(errno, operation: "create", path: url.path) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var done = 0
            while done < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CatalogError.fromErrno(errno, operation: "write", path: url.path)
                }
                done += n
            }
        }
        guard fsync(fd) == 0 else { throw CatalogError.fromErrno(errno, operation: "fsync", path: url.path) }
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
    static func rename(_ from: URL, to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else {
            throw CatalogError.fromErrno(errno, operation: "rename \(from.lastPathComponent) to", path: to.path)
        }
        let fromDir = from.deletingLastPathComponent(), toDir = to.deletingLastPathComponent()
        try syncDirectory(toDir)
        if fromDir.standardizedFileURL.path != toDir.standardizedFileURL.path { try syncDirectory(fromDir) }
    }

    /// Removes a file and makes the removal durable.
    static func remove(_ url: URL) throws {
        if unlink(url.path) != 0 && errno != ENOENT {
            throw CatalogError.fromErrno(errno, operation: "remove", path: url.path)
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CatalogError.fromErrno(errno, operation: "open folder", path: url.path) }
        defer { close(fd) }
        // Some filesystems (tmpfs) report EINVAL for directory fsync: nothing to flush.
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
            throw CatalogError.fromErrno(errno, operation: "fsync folder", path: url.path)
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
