import Foundation

/// Writes 16-bit mono PCM as a WAV file as it arrives, so a long recording
/// never sits in memory; the header's sizes are filled in by `finish()`.
final class WAVFileWriter {
    private let handle: FileHandle
    let path: String
    let rate: Int
    private(set) var frames = 0

    init(path: String, rate: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw RecordingError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        handle = h
        self.path = path
        self.rate = rate
        try write(Self.header(rate: rate, dataBytes: 0))
    }

    func append(_ samples: [Int16]) throws {
        var bytes = Data(capacity: samples.count * 2)
        for s in samples { let v = UInt16(bitPattern: s.littleEndian); bytes.append(UInt8(v & 0xff)); bytes.append(UInt8(v >> 8)) }
        try write(bytes)
        frames += samples.count
    }

    func finish() throws {
        do {
            try handle.seek(toOffset: 0)
            try write(Self.header(rate: rate, dataBytes: frames * 2))
            try handle.synchronize()
            try handle.close()
        } catch let e as RecordingError { throw e } catch {
            throw RecordingError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    private func write(_ data: Data) throws {
        do { try handle.write(contentsOf: data) } catch {
            throw RecordingError.writeFailed(path: path, reason: (error as NSError).code == Int(ENOSPC) ? "the disk is full" : error.localizedDescription)
        }
    }

    static func header(rate: Int, dataBytes: Int) -> Data {
        var d = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + dataBytes)
        d.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16)
        u16(1); u16(1); u32(rate); u32(rate * 2); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        return d
    }
}
