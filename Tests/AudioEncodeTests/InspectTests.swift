import Foundation
import XCTest
@testable import AudioEncode

/// Our Ogg Opus reader against opusinfo: the same verdict and figures on
/// valid files, and every deliberately broken file caught.
final class InspectTests: XCTestCase {
    let scratch = Scratch()

    /// A valid file from our encoder, 44.1 kHz input (so pre-skip, rate and
    /// granules are all non-trivial), ~4 pages of audio.
    lazy var ours: String = {
        let input = scratch.file("in.wav"), out = scratch.file("ours.opus")
        try! Signals.sox(input, ["-r", "44100"])
        _ = try! AnnouncementEncoder.encode(input: input, output: out, options: EncodeOptions(title: "Đường dây nóng", language: "vi"))
        return out
    }()

    func assertAgreesWithOpusinfo(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let info = try OggOpusInspector.inspect(path: path)
        let r = try Tool.run("opusinfo", [path])
        XCTAssertTrue(info.isValid, "\(info.faults)", file: file, line: line)
        XCTAssertEqual(r.status, 0, file: file, line: line)
        XCTAssertEqual(Judge.opusinfoField(r.out, "Pre-skip"), "\(info.preSkip)", file: file, line: line)
        XCTAssertEqual(Judge.opusinfoField(r.out, "Original sample rate"), "\(info.inputSampleRate) Hz", file: file, line: line)
        XCTAssertEqual(Judge.opusinfoField(r.out, "Channels"), "\(info.channels)", file: file, line: line)
        let length = try XCTUnwrap(Judge.opusinfoLength(r.out), file: file, line: line)
        XCTAssertEqual(info.durationSeconds, length, accuracy: 0.0011, file: file, line: line)
        for tag in info.tags {
            XCTAssertTrue(r.out.contains("\(tag.key)=\(tag.value)"), "opusinfo lists \(tag.key)", file: file, line: line)
        }
    }

    func testAgreesWithOpusinfoOnValidFiles() throws {
        try assertAgreesWithOpusinfo(ours)
        let info = try OggOpusInspector.inspect(path: ours)
        XCTAssertEqual(info.tag("title"), "Đường dây nóng")
        XCTAssertEqual(info.tag("LANGUAGE"), "vi")
        XCTAssertEqual(info.vendor, OpusEncoder.versionString)
        XCTAssertEqual(info.outputGainDB, 0)
        // opusenc's own output (20 ms frames, padding, its own tags).
        let theirs = scratch.file("theirs.opus")
        try Tool.make("opusenc", ["--quiet", "--bitrate", "24", "--title", "x", Signals.speech, theirs])
        try assertAgreesWithOpusinfo(theirs)
        // Stereo, 60 ms frames.
        let stereoWAV = scratch.file("st.wav"), stereo = scratch.file("st.opus")
        try Signals.sox(stereoWAV, ["-c", "2", "-r", "48000"])
        try Tool.make("opusenc", ["--quiet", "--framesize", "60", stereoWAV, stereo])
        try assertAgreesWithOpusinfo(stereo)
    }

    // MARK: - Broken files

    struct Page { let offset: Int; let length: Int }

    func pages(_ b: [UInt8]) -> [Page] {
        var out: [Page] = [], at = 0
        while at + 27 <= b.count {
            let n = Int(b[at + 26])
            let body = (0..<n).reduce(0) { $0 + Int(b[at + 27 + $1]) }
            out.append(Page(offset: at, length: 27 + n + body))
            at += 27 + n + body
        }
        return out
    }

    func fixCRC(_ b: inout [UInt8], _ page: Page) {
        let range = page.offset..<(page.offset + page.length)
        let crc = OggCRC.checksum(b, range, zeroing: (page.offset + 22)..<(page.offset + 26))
        for i in 0..<4 { b[page.offset + 22 + i] = UInt8((crc >> (8 * UInt32(i))) & 0xFF) }
    }

    /// Writes a damaged copy; asserts opusinfo and our reader both reject it
    /// and that one of our faults mentions `expected`.
    func assertCaught(_ name: String, expected: String, file: StaticString = #filePath, line: UInt = #line,
                      _ damage: (inout [UInt8], [Page]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ours)))
        damage(&bytes, pages(bytes))
        let path = scratch.file(name + ".opus")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let info = try OggOpusInspector.inspect(path: path)
        XCTAssertFalse(info.isValid, "\(name): not caught", file: file, line: line)
        XCTAssertTrue(info.faults.contains { $0.contains(expected) }, "\(name): \(info.faults)", file: file, line: line)
        XCTAssertNotEqual(try Tool.run("opusinfo", [path]).status, 0, "\(name): opusinfo accepted it", file: file, line: line)
    }

    func testCatchesFlippedCRC() throws {
        try assertCaught("crc", expected: "CRC mismatch") { b, p in b[p[2].offset + 22] ^= 0x01 }
        try assertCaught("payload", expected: "CRC mismatch") { b, p in b[p[3].offset + p[3].length - 5] ^= 0x40 }
    }

    func testCatchesTruncation() throws {
        try assertCaught("truncated", expected: "cut short") { b, _ in b.removeLast(100) }
        try assertCaught("no-last-page", expected: "end-of-stream") { b, p in b.removeLast(p.last!.length) }
    }

    func testCatchesMissingEOS() throws {
        try assertCaught("no-eos", expected: "end-of-stream") { b, p in
            b[p.last!.offset + 5] &= ~0x04
            fixCRC(&b, p.last!)
        }
    }

    func testCatchesWrongGranule() throws {
        try assertCaught("granule", expected: "granule position") { b, p in
            b[p[2].offset + 7] &+= 1     // +256 samples on the first audio page
            fixCRC(&b, p[2])
        }
        try assertCaught("granule-end", expected: "granule position") { b, p in
            b[p.last!.offset + 8] &+= 1   // last page claims 65 536 samples more than its packets
            fixCRC(&b, p.last!)
        }
    }

    func testCatchesBadHeaderFields() throws {
        try assertCaught("version", expected: "version") { b, p in
            b[p[0].offset + 28 + 8] = 0x20
            fixCRC(&b, p[0])
        }
        try assertCaught("channels", expected: "channel count is 0") { b, p in
            b[p[0].offset + 28 + 9] = 0
            fixCRC(&b, p[0])
        }
        try assertCaught("tag-length", expected: "runs past the packet") { b, p in
            // OpusTags: "OpusTags" + vendor length + vendor + count + first comment length.
            let start = p[1].offset + 27 + Int(b[p[1].offset + 26])
            let vendor = Int(b[start + 8]) | Int(b[start + 9]) << 8
            b[start + 8 + 4 + vendor + 4 + 3] = 0x7F
            fixCRC(&b, p[1])
        }
    }

    func testCatchesMissingPage() throws {
        try assertCaught("gap", expected: "pages are missing") { b, p in
            b.removeSubrange(p[3].offset..<(p[3].offset + p[3].length))
        }
    }

    func testNonOpusInputs() throws {
        let wav = Signals.speech
        let info = try OggOpusInspector.inspect(path: wav)
        XCTAssertFalse(info.isValid)
        XCTAssertTrue(info.faults.contains { $0.contains("not an Ogg") }, "\(info.faults)")
        let vorbis = scratch.file("v.ogg")
        try Signals.ffmpeg(vorbis, ["-c:a", "libvorbis"])
        XCTAssertTrue(try OggOpusInspector.inspect(path: vorbis).faults.contains { $0.contains("not an Ogg Opus file") })
        let empty = scratch.file("empty.opus")
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertEqual(try OggOpusInspector.inspect(path: empty).faults, ["the file is empty"])
        XCTAssertThrowsError(try OggOpusInspector.inspect(path: scratch.file("missing.opus")))
    }

    func testPacketDurationsFromTOC() {
        XCTAssertEqual(OggOpusReader.packetSamples([UInt8(10 << 3)][...]), 1920)           // SILK WB 40 ms (our frames)
        XCTAssertEqual(OggOpusReader.packetSamples([8 << 3 | 2, 0, 0][...]), 960)           // SILK WB 2 × 10 ms
        XCTAssertEqual(OggOpusReader.packetSamples([UInt8(11 << 3)][...]), 2880)           // SILK 60 ms
        XCTAssertEqual(OggOpusReader.packetSamples([UInt8(31 << 3)][...]), 960)            // CELT 20 ms
        XCTAssertEqual(OggOpusReader.packetSamples([UInt8(16 << 3)][...]), 120)            // CELT 2.5 ms
        XCTAssertEqual(OggOpusReader.packetSamples([UInt8(11 << 3) | 3, 2][...]), 5760)    // 2 × 60 ms = 120 ms
        XCTAssertNil(OggOpusReader.packetSamples([UInt8(11 << 3) | 3, 3][...]))            // 180 ms: too long
        XCTAssertNil(OggOpusReader.packetSamples([UInt8(0) | 3][...]))                      // code 3 without count byte
        XCTAssertNil(OggOpusReader.packetSamples([][...]))
    }
}
