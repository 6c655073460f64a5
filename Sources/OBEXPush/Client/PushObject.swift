import Foundation

/// One object to offer: its name as the phone will show it, its MIME type,
/// its exact length, and where its bytes come from. A file is read in
/// packet-sized pieces while it is sent, never loaded whole.
public struct PushObject: Sendable {
    public enum Source: Sendable {
        case bytes([UInt8])
        case file(path: String)
    }

    public let name: String
    public let type: String?
    public let length: UInt32
    public let source: Source

    /// An object held in memory. `type` defaults to one derived from the name.
    public init(name: String, bytes: [UInt8], type: String? = nil) {
        precondition(bytes.count <= Int(UInt32.max), "OBEX objects are limited to 4 GiB")
        self.name = name
        self.type = type ?? PushObject.mimeType(forName: name)
        self.length = UInt32(bytes.count)
        self.source = .bytes(bytes)
    }

    /// An object read from `path` while it is sent. `name` defaults to the
    /// file's last path component. Throws `OBEXPushError` when the file
    /// cannot be opened or is not a regular file under 4 GiB.
    public init(contentsOf path: String, name: String? = nil, type: String? = nil) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw OBEXPushError.cannotOpenFile(path: path, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw OBEXPushError.notARegularFile(path: path) }
        guard st.st_size >= 0, UInt64(st.st_size) <= UInt64(UInt32.max) else {
            throw OBEXPushError.fileTooLarge(path: path, bytes: UInt64(max(0, st.st_size)))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OBEXPushError.cannotOpenFile(path: path, errno: errno) }
        Glibc.close(fd)
        let shownName = name ?? (path as NSString).lastPathComponent
        self.name = shownName
        self.type = type ?? PushObject.mimeType(forName: shownName)
        self.length = UInt32(st.st_size)
        self.source = .file(path: path)
    }

    /// The Type header for a file name. `.opus` is sent as `audio/ogg`:
    /// Android maps known extensions itself and accepts audio/*, and old
    /// builds that do not know `.opus` fall back to this Type.
    public static func mimeType(forName name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "opus", "ogg", "oga": return "audio/ogg"
        case "mp3": return "audio/mpeg"
        case "m4a", "aac": return "audio/mp4"
        case "amr": return "audio/amr"
        case "wav": return "audio/x-wav"
        case "txt": return "text/plain"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "pdf": return "application/pdf"
        case "vcf": return "text/x-vcard"
        default: return nil
        }
    }
}

/// Hands out an object's bytes piece by piece; owns the file descriptor
/// while a file is being sent and closes it when done.
final class BodyReader {
    private let source: PushObject.Source
    private var fd: Int32 = -1
    private var offset = 0
    let length: Int

    init(_ object: PushObject) throws {
        source = object.source
        length = Int(object.length)
        if case .file(let path) = source {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OBEXPushError.cannotOpenFile(path: path, errno: errno) }
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    var remaining: Int { length - offset }

    /// The next `count` bytes (fewer only at the end). Throws when the file
    /// ends early or cannot be read: the object changed under us.
    func next(_ count: Int) throws -> [UInt8] {
        let n = min(count, remaining)
        guard n > 0 else { return [] }
        switch source {
        case .bytes(let all):
            defer { offset += n }
            return Array(all[offset..<(offset + n)])
        case .file(let path):
            var out = [UInt8](repeating: 0, count: n)
            var filled = 0
            while filled < n {
                let r = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, n - filled, off_t(offset + filled)) }
                if r < 0 && errno == EINTR { continue }
                if r < 0 { throw DeliveryOutcome.localFailure(detail: "cannot read '\(path)': \(String(cString: strerror(errno)))") }
                if r == 0 { throw DeliveryOutcome.localFailure(detail: "'\(path)' became shorter while it was sent") }
                filled += r
            }
            offset += n
            return out
        }
    }
}
