import Foundation
import XCTest
@testable import AudioEncode

/// Every bad input: a specific one-line error, no output and no temporary
/// file left behind, never a crash.
final class BadInputTests: XCTestCase {
    let scratch = Scratch()

    func assertRefused(_ input: String, output: String? = nil, options: EncodeOptions = EncodeOptions(),
                       _ expected: (AudioEncodeError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        let out = output ?? scratch.file("out.opus")
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        do {
            let report = try AnnouncementEncoder.encode(input: input, output: out, options: options)
            XCTFail("encoded \(input) but should have refused it: \(report)", file: file, line: line)
        } catch let error as AudioEncodeError {
            XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
            let text = error.description
            XCTAssertFalse(text.contains("\n"), "one line", file: file, line: line)
            XCTAssertTrue(text.hasSuffix("."), "ends with what to do: \(text)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(text.components(separatedBy: ". ").count, 2, "names the problem and the fix: \(text)", file: file, line: line)
        } catch {
            XCTFail("untyped error \(error)", file: file, line: line)
        }
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        XCTAssertEqual(after.subtracting(before), [], "nothing left behind", file: file, line: line)
    }

    func testMissingInputAndFolderInput() {
        assertRefused(scratch.file("nope.wav")) { if case .inputMissing = $0 { return true }; return false }
        assertRefused(scratch.path) { if case .inputIsDirectory = $0 { return true }; return false }
    }

    func testEmptyFile() {
        let f = scratch.file("empty.wav")
        FileManager.default.createFile(atPath: f, contents: Data())
        assertRefused(f) { if case .notAudio = $0 { return true }; return false }
    }

    func testCorruptAndNonAudioFiles() {
        let random = scratch.file("random.wav")
        var g = SystemRandomNumberGenerator()
        FileManager.default.createFile(atPath: random, contents: Data((0..<20000).map { _ in UInt8.random(in: 0...255, using: &g) }))
        assertRefused(random) { if case .notAudio = $0 { return true }; return false }
        let text = scratch.file("notes.txt")
        FileManager.default.createFile(atPath: text, contents: Data(String(repeating: "call the helpline\n", count: 100).utf8))
        assertRefused(text) { if case .notAudio = $0 { return true }; return false }
    }

    func testTruncatedWAVAndFLAC() throws {
        for ext in ["wav", "aiff", "flac"] {
            let whole = scratch.file("whole.\(ext)"), cut = scratch.file("cut.\(ext)")
            try Signals.sox(whole)
            let data = try Data(contentsOf: URL(fileURLWithPath: whole))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
            assertRefused(cut) {
                if case .truncated = $0 { return true }
                if case .decodeFailed = $0 { return ext == "flac" }
                return false
            }
            // A header alone, no audio.
            try data.prefix(30).write(to: URL(fileURLWithPath: cut))
            assertRefused(cut) { if case .notAudio = $0 { return true }; if case .noAudio = $0 { return true }; return false }
        }
    }

    func testSilenceOnly() throws {
        let f = scratch.file("silence.wav")
        try Tool.make("sox", ["-n", "-r", "16000", "-b", "16", f, "trim", "0", "3"])
        assertRefused(f) { if case .silent = $0 { return true }; return false }
        // Hiss at −70 dBFS is still silence to a listener.
        try Tool.make("sox", ["-n", "-r", "16000", "-b", "16", f, "synth", "3", "whitenoise", "vol", "0.0003"])
        assertRefused(f) { if case .silent = $0 { return true }; return false }
    }

    func testTenthOfASecondClip() throws {
        let f = scratch.file("blip.wav")
        try Tool.make("sox", ["-n", "-r", "16000", "-b", "16", f, "synth", "0.1", "sine", "440"])
        assertRefused(f) { if case .tooShort = $0 { return true }; return false }
        assertRefused(f, options: EncodeOptions(trimSilence: false, normalizeLoudness: false)) { if case .tooShort = $0 { return true }; return false }
    }

    func testTwoHourFileHitsTheDurationLimitQuickly() throws {
        let f = scratch.file("two-hours.flac")    // silence compresses to almost nothing
        try Tool.make("sox", ["-n", "-r", "2000", "-b", "8", f, "trim", "0", "7200"])
        let started = Date()
        assertRefused(f) { if case .tooLong(_, let s, let limit) = $0 { return s >= 7199 && limit == 300 }; return false }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused from the header, without decoding two hours")
        // And a configurable limit.
        assertRefused(Signals.speech, options: EncodeOptions(maxSeconds: 2)) { if case .tooLong = $0 { return true }; return false }
    }

    func testNaNAndInfinityFloatSamples() throws {
        for bad in [Float.nan, Float.infinity] {
            let f = scratch.file("bad.wav")
            var samples = (0..<16000).map { Float(sin(Double($0) * 0.1) * 0.5) }
            samples[8000] = bad
            try writeFloatWAV(f, samples: samples, rate: 16000)
            assertRefused(f) { if case .nonFiniteSamples(_, let at) = $0 { return abs(at - 0.5) < 0.01 }; return false }
        }
    }

    func testOutputInMissingFolder() {
        assertRefused(Signals.speech, output: scratch.file("no/such/folder/out.opus")) { if case .outputFolderMissing = $0 { return true }; return false }
    }

    func testOutputIsInputIsRefused() throws {
        let f = scratch.file("keep.wav")
        try Signals.sox(f)
        let before = try Data(contentsOf: URL(fileURLWithPath: f))
        assertRefused(f, output: f) { if case .outputIsInput = $0 { return true }; return false }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: f)), before)
    }

    func testBadBitrate() {
        assertRefused(Signals.speech, options: EncodeOptions(bitrateKbps: 500)) { if case .badOption = $0 { return true }; return false }
    }

    func testMissingFFmpegGivesConversionAdvice() throws {
        let m4a = scratch.file("memo.m4a")
        try Signals.ffmpeg(m4a, ["-c:a", "aac"])
        let saved = ProcessInfo.processInfo.environment["PATH"] ?? ""
        setenv("PATH", scratch.path, 1)   // no ffmpeg here
        defer { setenv("PATH", saved, 1) }
        assertRefused(m4a) { if case .needsFFmpeg = $0 { return $0.description.contains("apt-get install ffmpeg") }; return false }
    }

    // Read-only folder and full disk need a real filesystem in that state:
    // small tmpfs mounts (root only; root ignores chmod, so no chmod test).
    func withTmpfs(_ options: String, _ body: (String) throws -> Void) throws {
        let mountPoint = scratch.file("mnt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard getuid() == 0, try Tool.run("mount", ["-t", "tmpfs", "-o", options, "tmpfs", mountPoint]).status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root)")
        }
        defer { _ = try? Tool.run("umount", [mountPoint]) }
        try body(mountPoint)
    }

    func testReadOnlyFolder() throws {
        try withTmpfs("ro,size=64k") { dir in
            assertRefused(Signals.speech, output: dir + "/out.opus") { if case .outputNotWritable = $0 { return true }; return false }
        }
    }

    func testFullDisk() throws {
        try withTmpfs("size=4k") { dir in
            assertRefused(Signals.speech, output: dir + "/out.opus") { if case .diskFull = $0 { return true }; return false }
        }
    }

    func writeFloatWAV(_ path: String, samples: [Float], rate: Int) throws {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> ($0 * 8)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let dataBytes = samples.count * 4
        var b = Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVE".utf8)
        b += Array("fmt ".utf8) + le32(16) + le16(3) + le16(1) + le32(rate) + le32(rate * 4) + le16(4) + le16(32)
        b += Array("data".utf8) + le32(dataBytes)
        for s in samples { b += le32(Int(s.bitPattern)) }
        try Data(b).write(to: URL(fileURLWithPath: path))
    }
}
