import Foundation

/// Writes one received object into a directory so that it appears complete
/// or not at all: the bytes go to a hidden temporary file, which is synced
/// and then linked under its final name (never replacing an existing file:
/// "name (1).ext" and so on). A failed or abandoned object leaves nothing.
final class AtomicFileWriter {
    let directory: String
    private(set) var temporaryPath: String
    private var fd: Int32
    private(set) var byteCount = 0

    init(directory: String) throws {
        self.directory = directory
        var lastErrno: Int32 = 0
        for _ in 0..<16 {
            let random = (0..<12).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }
            let path = directory + "/.obex-" + String(random) + ".part"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                self.fd = fd
                self.temporaryPath = path
                return
            }
            lastErrno = errno
            if lastErrno != EEXIST { break }
        }
        throw OBEXPushError.cannotStore(directory: directory, errno: lastErrno)
    }

    deinit { discard() }

    func append(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw OBEXPushError.cannotStore(directory: directory, errno: errno) }
            written += n
        }
        byteCount += bytes.count
    }

    /// Syncs the data and gives it its final name; returns the name used.
    /// Tries `name`, then numbered variants, then the ASCII fallback when
    /// the file system refuses the name itself.
    func commit(as name: String) throws -> String {
        guard fd >= 0 else { throw OBEXPushError.cannotStore(directory: directory, errno: EBADF) }
        if fsync(fd) != 0 { throw OBEXPushError.cannotStore(directory: directory, errno: errno) }
        Glibc.close(fd)
        fd = -1
        var candidates = [name]
        let ascii = FileNameSanitizer.asciiFallback(name)
        if ascii != name { candidates.append(ascii) }
        var lastErrno: Int32 = 0
        for base in candidates {
            for n in 0..<1000 {
                let candidate = n == 0 ? base : numbered(base, n)
                let target = directory + "/" + candidate
                if link(temporaryPath, target) == 0 {
                    unlink(temporaryPath)
                    temporaryPath = ""
                    syncDirectory()
                    return candidate
                }
                lastErrno = errno
                if lastErrno == EEXIST { continue }
                if lastErrno == EPERM || lastErrno == ENOTSUP || lastErrno == EOPNOTSUPP {
                    // No hard links (FAT on a USB stick): a checked rename.
                    if access(target, F_OK) == 0 { continue }
                    if rename(temporaryPath, target) == 0 {
                        temporaryPath = ""
                        syncDirectory()
                        return candidate
                    }
                    lastErrno = errno
                }
                break   // the name itself is refused: try the next form
            }
        }
        throw OBEXPushError.cannotStore(directory: directory, errno: lastErrno)
    }

    /// Removes the temporary file (abandoned, declined or failed objects).
    func discard() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        if !temporaryPath.isEmpty { unlink(temporaryPath); temporaryPath = "" }
    }

    private func numbered(_ name: String, _ n: Int) -> String {
        if let ext = FileNameSanitizer.extensionOf(name) {
            return String(name.dropLast(ext.count + 1)) + " (\(n))." + ext
        }
        return name + " (\(n))"
    }

    private func syncDirectory() {
        let d = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 { fsync(d); Glibc.close(d) }
    }
}
