import Foundation

/// Failures of the OBEXPush module outside a transfer's outcome (which is a
/// `DeliveryOutcome`): setting up transports, reading local files, storing
/// received ones. Messages are phrased for `psacaster: <what>: <why>. <fix>`.
public enum OBEXPushError: Error, Equatable, CustomStringConvertible {
    case cannotResolve(host: String, reason: String)
    case cannotOpenFile(path: String, errno: Int32)
    case fileTooLarge(path: String, bytes: UInt64)
    case notARegularFile(path: String)
    case cannotStore(directory: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotResolve(let host, let reason):
            return "cannot resolve '\(host)': \(reason). Give a numeric address such as 127.0.0.1"
        case .cannotOpenFile(let path, let e):
            return "cannot open '\(path)': \(String(cString: strerror(e))). Check the path and its permissions"
        case .fileTooLarge(let path, let n):
            return "'\(path)' is \(n) bytes: OBEX Length is 32-bit, so objects must be under 4 GiB. Send a smaller file"
        case .notARegularFile(let path):
            return "'\(path)' is not a regular file. Give the path of a file"
        case .cannotStore(let dir, let e):
            return "cannot store into '\(dir)': \(String(cString: strerror(e))). Check that the directory exists, is writable and has space"
        }
    }
}
