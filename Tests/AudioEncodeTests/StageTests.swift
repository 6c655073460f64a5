import Foundation
import XCTest
@testable import AudioEncode

/// Each pipeline stage alone, on synthetic signals.
final class StageTests: XCTestCase {
    func sine(_ hz: Double, seconds: Double, rate: Int, amplitude: Double) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(amplitude * sin(2 * .pi * hz * Double($0) / Double(rate))) }
    }

    func testDownmixAveragesChannelsAndFlagsNonFinite() {
        var mono: [Float] = []
        XCTAssertNil(Downmix.mono([1, 0, 0.5, 0.5, -1, 1], frames: 3, channels: 2, into: &mono))
        XCTAssertEqual(mono, [0.5, 0.5, 0])
        XCTAssertEqual(Downmix.mono([0.1, 0.2, 0.3, .nan, 0.1, 0.1], frames: 2, channels: 3, into: &mono), 1)
        XCTAssertEqual(Downmix.mono([0, .infinity], frames: 2, channels: 1, into: &mono), 1)
    }

    func testSilenceDetectorFindsTheSoundAndKeepsPads() {
        let rate = 16000
        let signal = [Float](repeating: 0, count: rate) + sine(300, seconds: 2, rate: rate, amplitude: 0.3) + [Float](repeating: 0, count: rate * 2)
        var d = SilenceDetector(sampleRate: rate)
        signal.withUnsafeBufferPointer { d.add($0) }
        let range = d.soundRange()
        XCTAssertEqual(range, (rate - rate / 4)..<(3 * rate + Int(0.4 * Double(rate))))
    }

    func testSilenceDetectorAdaptsToANoiseFloor() {
        // Hiss at −40 dBFS throughout, speech-level tone in the middle.
        let rate = 16000
        var g = SystemRandomNumberGenerator()
        var signal = (0..<(rate * 4)).map { _ in Float.random(in: -0.017...0.017, using: &g) }
        let tone = sine(300, seconds: 1, rate: rate, amplitude: 0.5)
        for i in 0..<tone.count { signal[2 * rate + i] += tone[i] }
        var d = SilenceDetector(sampleRate: rate)
        signal.withUnsafeBufferPointer { d.add($0) }
        let range = try! XCTUnwrap(d.soundRange())
        XCTAssertEqual(Double(range.lowerBound) / Double(rate), 2 - SilenceDetector.leadPad, accuracy: 0.02)
        XCTAssertEqual(Double(range.upperBound) / Double(rate), 3 + SilenceDetector.tailPad, accuracy: 0.02)
    }

    func testSilenceDetectorReportsSilence() {
        var d = SilenceDetector(sampleRate: 8000)
        [Float](repeating: 0.0001, count: 8000).withUnsafeBufferPointer { d.add($0) }
        XCTAssertNil(d.soundRange())
    }

    func testLimiterKeepsLengthAndHoldsTheCeiling() throws {
        let rate = 48000
        // A tone at +6 dBFS with bursts: far over a −3 dBTP ceiling.
        let input = sine(997, seconds: 1, rate: rate, amplitude: 2) + sine(150, seconds: 0.5, rate: rate, amplitude: 0.1)
        let limiter = TruePeakLimiter(sampleRate: rate, ceilingDB: -3)
        var out: [Float] = []
        for start in stride(from: 0, to: input.count, by: 1000) {
            limiter.process(Array(input[start..<min(input.count, start + 1000)]), into: &out)
        }
        limiter.flush(into: &out)
        XCTAssertEqual(out.count, input.count)
        let meter = try LoudnessMeter(sampleRate: rate, truePeak: true)
        try out.withUnsafeBufferPointer { try meter.add($0) }
        XCTAssertLessThanOrEqual(try XCTUnwrap(meter.truePeakDBTP), -3 + 0.1)
        // The quiet tail, 0.3 s (6 release time constants) after the loud part, passes almost unchanged.
        for i in stride(from: input.count - 9600, to: input.count - 100, by: 97) {
            XCTAssertEqual(out[i], input[i], accuracy: 5e-4)
        }
    }

    func testLimiterLeavesQuietSignalsAloneExceptForDelay() {
        let input = sine(440, seconds: 0.2, rate: 16000, amplitude: 0.2)
        let limiter = TruePeakLimiter(sampleRate: 16000, ceilingDB: -3)
        var out: [Float] = []
        limiter.process(input, into: &out)
        limiter.flush(into: &out)
        XCTAssertEqual(out.count, input.count)
        for i in input.indices { XCTAssertEqual(out[i], input[i], accuracy: 1e-6) }
    }

    func testLoudnessGainInterpolation() {
        // Limiting flattens the curve: +4 dB gain gives only +2 LU.
        let trials = [(gainDB: 10.0, lufs: -18.0), (12, -17), (14, -16.2), (17, -15.0)]
        XCTAssertEqual(LoudnessNormalizer.gain(for: -16, trials: trials)!, 14.5, accuracy: 0.01)
        XCTAssertEqual(LoudnessNormalizer.gain(for: -17.5, trials: trials)!, 11, accuracy: 0.01)
        XCTAssertEqual(LoudnessNormalizer.gain(for: -20, trials: [(5, -22)])!, 7)
    }

    func testResamplerProducesTheRatioOfSamples() throws {
        let r = try Resampler(from: 44100, to: 48000)
        var out: [Float] = []
        let input = sine(1000, seconds: 1, rate: 44100, amplitude: 0.5)
        for start in stride(from: 0, to: input.count, by: 4096) {
            try r.process(Array(input[start..<min(input.count, start + 4096)]), into: &out)
        }
        try r.flush(into: &out)
        XCTAssertEqual(out.count, 48000, accuracy: 2)
        // Still a 1 kHz tone: zero crossings ≈ 2000.
        let crossings = zip(out.dropFirst(100), out.dropFirst(101)).filter { $0 < 0 && $1 >= 0 }.count
        XCTAssertEqual(crossings, 1000, accuracy: 5)
    }

    func testOpusHeadAndTagsBytes() {
        XCTAssertEqual(OggOpusWriter.opusHead(preSkip: 312, inputSampleRate: 44100),
                       Array("OpusHead".utf8) + [1, 1, 0x38, 0x01, 0x44, 0xAC, 0, 0, 0, 0, 0])
        XCTAssertEqual(OggOpusWriter.opusTags(vendor: "v", tags: [OggOpusTag(key: "TITLE", value: "é")]),
                       Array("OpusTags".utf8) + [1, 0, 0, 0, 0x76, 1, 0, 0, 0, 8, 0, 0, 0] + Array("TITLE=é".utf8))
    }

    func testOpusEncoderSettings() throws {
        let e = try OpusEncoder(sampleRate: 16000, bitrateKbps: 16)
        XCTAssertEqual(e.lookahead * 3, 312)
        let pcm = sine(200, seconds: 0.04, rate: 16000, amplitude: 0.3)
        let packet = try pcm.withUnsafeBufferPointer { try e.encode($0, frameSize: 640) }
        // TOC: SILK-only wideband 40 ms (config 10), mono, one frame.
        XCTAssertEqual(packet.first.map { $0 >> 3 }, 10)
        XCTAssertEqual(OggOpusReader.packetSamples(packet[...]), 1920)
        XCTAssertThrowsError(try OpusEncoder(sampleRate: 44100, bitrateKbps: 16))
    }

    func testAtomicOutputLeavesNothingUnlessCommitted() throws {
        let scratch = Scratch()
        do {
            let f = try AtomicOutputFile(path: scratch.file("a.opus"))
            try f.write([1, 2, 3])
            XCTAssertEqual(scratch.contents.count, 1)
        }
        XCTAssertEqual(scratch.contents, [])
        let f = try AtomicOutputFile(path: scratch.file("b.opus"))
        try f.write([1, 2, 3])
        try f.commit()
        XCTAssertEqual(scratch.contents, ["b.opus"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: scratch.file("b.opus"))), Data([1, 2, 3]))
    }

    func testOggCRCKnownValue() {
        // CRC-32/MPEG-2 without final xor and init 0 ("CRC-32/BZIP2" differs): check value for "123456789".
        XCTAssertEqual(OggCRC.checksum(Array("123456789".utf8), 0..<9, zeroing: 0..<0), 0x89A1897F)
    }
}
