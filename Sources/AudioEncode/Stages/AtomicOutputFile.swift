import Foundation

/// Writes the output under a hidden temporary name in the destination folder,
/// then fsyncs and renames it into place: an interrupted or failed encode
/// never leaves a half file under the output name. Dropped without `commit()`,
/// the temporary file is removed.
final class AtomicOutputFile {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    private var committed = false
    private var cleanupSlot: Int?
    private(set) var bytesWritten = 0

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AudioEncodeError.outputFolderMissing(folder: folder)
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AudioEncodeError.outputNotWritable(path: path, reason: "a folder has that name")
        }
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        cleanupSlot = InterruptCleanup.register(temporaryPath)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            InterruptCleanup.unregister(cleanupSlot)
            throw Self.error(code, path: path)
        }
    }

    deinit {
        InterruptCleanup.unregister(cleanupSlot)
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, path: path)
            }
            offset += n
        }
        bytesWritten += bytes.count
    }

    /// fsync, rename over `path`, fsync the folder so the rename survives a power cut.
    func commit() throws {
        if fsync(fd) != 0 { throw Self.error(errno, path: path) }
        if close(fd) != 0 { fd = -1; throw Self.error(errno, path: path) }
        fd = -1
        if rename(temporaryPath, path) != 0 { throw Self.error(errno, path: path) }
        committed = true
        InterruptCleanup.unregister(cleanupSlot)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 { _ = fsync(dirfd); close(dirfd) }
    }

    static func error(_ code: Int32, path: String) -> AudioEncodeError {
        switch code {
        case ENOSPC, EDQUOT: return .diskFull(path: path)
        case EACCES, EPERM: return .outputNotWritable(path: path, reason: "permission denied")
        case EROFS: return .outputNotWritable(path: path, reason: "the disk is read-only")
        default: return .outputWriteFailed(path: path, reason: String(cString: strerror(code)))
        }
    }
}
