import Foundation

/// The catalog's writer lock: flock(2) on `<catalog>/.lock`. Every change
/// (CLI or service) holds it from reading the manifest to renaming the new
/// one in, so two writers never lose each other's change. Readers need no
/// lock: the manifest is only ever replaced by rename. The kernel drops the
/// lock when the holder dies, so kill -9 never leaves the catalog locked.
final class CatalogLock {
    private let fd: Int32

    /// Waits up to `timeout` seconds for the lock.
    init(path: String, timeout: TimeInterval = 15) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CatalogError.fromErrno(errno, operation: "open lock file", path: path) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            guard err == EWOULDBLOCK || err == EINTR else {
                close(fd)
                throw CatalogError.fromErrno(err, operation: "lock", path: path)
            }
            if Date() >= deadline {
                close(fd)
                throw CatalogError.busy(path: path)
            }
            usleep(20_000)
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
