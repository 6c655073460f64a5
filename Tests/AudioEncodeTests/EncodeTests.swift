import Foundation
import XCTest
@testable import AudioEncode

/// End to end: recordings in many formats → `AnnouncementEncoder` → judged
/// by opusinfo, opusdec and ffmpeg's loudness meter.
final class EncodeTests: XCTestCase {
    let scratch = Scratch()

    /// Encodes and applies the acceptance checks; returns the report.
    @discardableResult
    func encodeAndJudge(_ input: String, options: EncodeOptions = EncodeOptions(title: "Helpline", language: "vi"),
                        checkLoudness: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> EncodeReport {
        let output = scratch.file(URL(fileURLWithPath: input).lastPathComponent + ".opus")
        let report = try AnnouncementEncoder.encode(input: input, output: output, options: options)
        let info = try Judge.opusinfo(output, file: file, line: line)
        // Exactly the kept input, converted to 48 kHz, comes back out.
        let expected = Int((Double(report.keptFrames) * 48000 / Double(report.inputSampleRate)).rounded(.up))
        XCTAssertEqual(report.decodedSamples48k, expected, file: file, line: line)
        XCTAssertEqual(try Judge.decodedSamples(output, scratch: scratch), expected, "opusdec length", file: file, line: line)
        XCTAssertEqual(Judge.opusinfoField(info, "Original sample rate"), "\(report.inputSampleRate) Hz", file: file, line: line)
        XCTAssertEqual(Judge.opusinfoField(info, "Channels"), "1", file: file, line: line)
        let inspected = try OggOpusInspector.inspect(path: output)
        XCTAssertTrue(inspected.isValid, "\(inspected.faults)", file: file, line: line)
        XCTAssertEqual(inspected.decodedSamples48k, expected, file: file, line: line)
        XCTAssertEqual(inspected.tag("TITLE"), options.title, file: file, line: line)
        XCTAssertEqual(inspected.tag("LANGUAGE"), options.language, file: file, line: line)
        XCTAssertEqual(inspected.sizeBytes, report.outputBytes, file: file, line: line)
        if checkLoudness {
            let measured = try Judge.loudness(output, scratch: scratch)
            XCTAssertEqual(measured.lufs, -16, accuracy: 1, "decoded loudness", file: file, line: line)
            XCTAssertLessThanOrEqual(measured.peak, -1.0, "decoded true peak", file: file, line: line)
            XCTAssertEqual(report.loudnessAfterLUFS ?? 0, measured.lufs, accuracy: 0.2, "our decoded measurement agrees with ffmpeg", file: file, line: line)
        }
        return report
    }

    func testDefaultEncodeIsValidExactLoudAndTagged() throws {
        let report = try encodeAndJudge(Signals.speech, checkLoudness: true)
        // The added 0.8 s / 1.0 s silences are cut down to the natural pads.
        XCTAssertGreaterThanOrEqual(report.trimmedLeadingSeconds, 0.8 - SilenceDetector.leadPad - 0.02)
        XCTAssertGreaterThanOrEqual(report.trimmedTrailingSeconds, 1.0 - SilenceDetector.tailPad - 0.02)
        XCTAssertEqual(report.bitrateKbps, 16)
        XCTAssertLessThan(report.averageBitrateKbps, 20)
        XCTAssertEqual(report.preSkip, 312)
        XCTAssertEqual(Double(report.outputBytes), Double(try FileManager.default.attributesOfItem(atPath: report.outputPath)[.size] as! Int))
        XCTAssertEqual(scratch.contents.filter { $0.hasPrefix(".") }, [], "no temporary file left")
    }

    func testQuietAndHotRecordingsLandAtMinus16LUFS() throws {
        let quiet = scratch.file("quiet.wav"), hot = scratch.file("hot.wav")
        try Signals.sox(quiet, effects: ["vol", "0.1"])       // about −40 LUFS
        try Signals.sox(hot, ["-b", "32", "-e", "floating-point"], effects: ["vol", "4"])   // clipping-level peaks, kept as float
        try encodeAndJudge(quiet, checkLoudness: true)
        try encodeAndJudge(hot, checkLoudness: true)
    }

    func testBitratesKeepLoudnessAndPeakTargets() throws {
        for kbps in [12, 24] {
            try encodeAndJudge(Signals.speech, options: EncodeOptions(title: "t", language: "th", bitrateKbps: kbps), checkLoudness: true)
        }
    }

    func testTrimAndLoudnessCanBeSwitchedOff() throws {
        let report = try encodeAndJudge(Signals.speech, options: EncodeOptions(title: nil, language: nil, trimSilence: false, normalizeLoudness: false))
        XCTAssertEqual(report.keptFrames, try Signals.frames(Signals.speech))
        XCTAssertEqual(report.gainDB, 0)
        XCTAssertEqual(report.trimmedLeadingSeconds, 0)
        // Untouched level: the espeak voice stays near its own loudness (about −20 LUFS), not −16.
        XCTAssertLessThan(report.loudnessAfterLUFS ?? 0, -18)
    }

    func testInputFormats() throws {
        var made: [(String, String)] = []   // (file, expected libsndfile/ffmpeg format text)
        func add(_ name: String, _ expect: String, _ make: (String) throws -> Void) rethrows {
            let f = scratch.file(name); try make(f); made.append((f, expect))
        }
        try add("int16.wav", "WAV") { try Signals.sox($0, ["-b", "16"]) }
        try add("float.wav", "float") { try Signals.sox($0, ["-b", "32", "-e", "floating-point"]) }
        try add("extensible.wav", "WAVEX") { try Signals.ffmpeg($0, ["-c:a", "pcm_s24le"]) }
        try add("u8.wav", "8 bit") { try Signals.sox($0, ["-b", "8"]) }
        try add("s24.wav", "24 bit") { try Signals.sox($0, ["-b", "24"]) }
        try add("s32.wav", "32 bit") { try Signals.sox($0, ["-b", "32", "-e", "signed-integer"]) }
        try add("speech.flac", "FLAC") { try Signals.sox($0) }
        try add("speech.aiff", "AIFF") { try Signals.sox($0) }
        try add("speech.ogg", "Vorbis") { try Signals.ffmpeg($0, ["-c:a", "libvorbis", "-q:a", "3"]) }
        try add("speech-in.opus", "Opus") { try Tool.make("opusenc", ["--quiet", "--bitrate", "32", Signals.speech, $0]) }
        try add("speech.mp3", "MPEG") { try Signals.ffmpeg($0, ["-c:a", "libmp3lame", "-b:a", "64k"]) }
        var reference: Double?
        for (file, expect) in made {
            let report = try encodeAndJudge(file)
            XCTAssertTrue(report.inputFormat.contains(expect), "\(file): \(report.inputFormat)")
            // Every format keeps the same speech (lossy ones may shift the cut by a frame or two).
            let r = reference ?? report.durationSeconds
            reference = r
            XCTAssertEqual(report.durationSeconds, r, accuracy: 0.08, file)
        }
    }

    func testPhoneFormatsGoThroughFFmpeg() throws {
        let m4a = scratch.file("memo.m4a"), threeGP = scratch.file("memo.3gp")
        try Signals.ffmpeg(m4a, ["-c:a", "aac", "-b:a", "64k"])
        try Signals.ffmpeg(threeGP, ["-ar", "16000", "-c:a", "aac", "-b:a", "32k", "-f", "3gp"])
        for f in [m4a, threeGP] {
            let report = try encodeAndJudge(f)
            XCTAssertTrue(report.inputFormat.contains("ffmpeg"), report.inputFormat)
        }
        XCTAssertEqual(scratch.contents.filter { $0.contains("psacaster-decode") }, [])
    }

    func testChannelCountsOneToEight() throws {
        for channels in 1...8 {
            let f = scratch.file("ch\(channels).wav")
            try Signals.sox(f, ["-c", "\(channels)"])
            let report = try encodeAndJudge(f)
            XCTAssertEqual(report.inputChannels, channels)
        }
    }

    func testSampleRatesEightTo192kHz() throws {
        for rate in [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000, 192000] {
            let f = scratch.file("r\(rate).wav")
            try Signals.sox(f, ["-r", "\(rate)"])
            let report = try encodeAndJudge(f)
            XCTAssertEqual(report.inputSampleRate, rate)
            XCTAssertEqual(report.encoderSampleRate, OpusEncoder.supportedRates.contains(rate) ? rate : 48000)
            XCTAssertEqual(report.preSkip, 312, "pre-skip is the lookahead at 48 kHz at every encoder rate")
        }
    }

    func testTrimKeepsNaturalPads() throws {
        let f = scratch.file("tone.wav")
        try Tool.make("sox", ["-n", "-r", "16000", "-b", "16", f, "synth", "2", "sine", "440", "vol", "0.3", "pad", "1", "1.5"])
        let report = try encodeAndJudge(f)
        XCTAssertEqual(report.trimmedLeadingSeconds, 1 - SilenceDetector.leadPad, accuracy: 0.011)
        XCTAssertEqual(report.trimmedTrailingSeconds, 1.5 - SilenceDetector.tailPad, accuracy: 0.011)
        XCTAssertEqual(report.durationSeconds, 2 + SilenceDetector.leadPad + SilenceDetector.tailPad, accuracy: 0.02)
    }

    func testDefaultOutputNameIsASCIIOpusAndNeverTheInput() {
        XCTAssertEqual(AnnouncementEncoder.defaultOutputPath(forInput: "/tmp/Hội thảo số 1.wav"), "/tmp/Hoi-thao-so-1.opus")
        XCTAssertEqual(AnnouncementEncoder.defaultOutputPath(forInput: "/tmp/ประกาศ.m4a"), "/tmp/announcement.opus")
        let existing = scratch.file("memo.opus")
        FileManager.default.createFile(atPath: existing, contents: Data([1]))
        XCTAssertEqual(AnnouncementEncoder.defaultOutputPath(forInput: existing), scratch.file("memo-announcement.opus"))
    }

    func testProgressIsReportedAndReachesOne() throws {
        var seen: [Double] = []
        _ = try AnnouncementEncoder.encode(input: Signals.speech, output: scratch.file("p.opus"), options: EncodeOptions()) { seen.append($0) }
        XCTAssertEqual(seen.last, 1)
        XCTAssertEqual(seen, seen.sorted(), "progress never goes back")
        XCTAssertGreaterThan(seen.count, 5)
    }
}
