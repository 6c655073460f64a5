import Foundation
import XCTest
@testable import AudioEncode

/// Outside tools (sox, espeak-ng, ffmpeg, opusinfo, opusdec) run for real:
/// they make the test signals and judge our output.
enum Tool {
    struct Result { let status: Int32; let out: String; let err: String }

    @discardableResult
    static func run(_ name: String, _ args: [String], environment: [String: String]? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes before waiting, so a chatty tool cannot block.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a tool that must succeed (test-signal makers).
    static func make(_ name: String, _ args: [String]) throws {
        let r = try run(name, args)
        if r.status != 0 { throw NSError(domain: "Tool", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "\(name) \(args.joined(separator: " ")) failed: \(r.err)"]) }
    }

    static func exists(_ name: String) -> Bool { InputDecoder.findExecutable(name) != nil }
}

/// A fresh temporary folder per test, removed afterwards.
final class Scratch {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "psacaster-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

enum Signals {
    /// ~3 s of synthetic speech (espeak-ng: 22.05 kHz mono), with silence
    /// around it so trimming has work to do. Made once per test run.
    static let speech: String = {
        let dir = NSTemporaryDirectory() + "psacaster-test-signals-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let raw = dir + "/raw.wav", padded = dir + "/speech.wav"
        try! Tool.make("espeak-ng", ["-v", "en", "-s", "165", "-w", raw, "Free helpline. Call one two three."])
        // 0.8 s of silence before, 1 s after.
        try! Tool.make("sox", [raw, padded, "pad", "0.8", "1.0"])
        return padded
    }()

    /// Length of the speech signal with its pads, seconds.
    static var speechSeconds: Double { Double((try? frames(speech)) ?? 0) / 22050 }

    /// Converts the speech signal with sox (format chosen by extension + args).
    static func sox(_ output: String, _ args: [String] = [], effects: [String] = []) throws {
        try Tool.make("sox", [speech] + args + [output] + effects)
    }

    static func ffmpeg(_ output: String, _ args: [String]) throws {
        try Tool.make("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", speech] + args + [output])
    }

    static func frames(_ path: String) throws -> Int {
        let r = try Tool.run("soxi", ["-s", path])
        return Int(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}

/// The outside judges of an encoded file.
enum Judge {
    /// opusinfo: exit 0 and no warnings.
    static func opusinfo(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try Tool.run("opusinfo", [path])
        XCTAssertEqual(r.status, 0, "opusinfo rejected \(path): \(r.out) \(r.err)", file: file, line: line)
        XCTAssertFalse((r.out + r.err).uppercased().contains("WARNING"), "opusinfo warned: \(r.out)", file: file, line: line)
        return r.out
    }

    /// Samples opusdec writes at 48 kHz.
    static func decodedSamples(_ path: String, scratch: Scratch) throws -> Int {
        let wav = scratch.file("decoded-\(UUID().uuidString).wav")
        try Tool.make("opusdec", ["--quiet", "--rate", "48000", path, wav])
        defer { unlink(wav) }
        return try Signals.frames(wav)
    }

    /// Integrated loudness and true peak of the opusdec decode, by ffmpeg's
    /// ebur128 filter (an independent implementation from ours).
    static func loudness(_ path: String, scratch: Scratch) throws -> (lufs: Double, peak: Double) {
        let wav = scratch.file("loud-\(UUID().uuidString).wav")
        try Tool.make("opusdec", ["--quiet", "--rate", "48000", "--float", path, wav])
        defer { unlink(wav) }
        let r = try Tool.run("ffmpeg", ["-nostdin", "-hide_banner", "-nostats", "-i", wav, "-af", "ebur128=peak=true", "-f", "null", "-"])
        var lufs = Double.nan, peak = Double.nan
        let summary = r.err.components(separatedBy: "Summary:").last ?? ""
        for line in summary.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.first == "I:", words.count >= 2 { lufs = Double(words[1]) ?? .nan }
            if words.first == "Peak:", words.count >= 2 { peak = Double(words[1]) ?? .nan }
        }
        return (lufs, peak)
    }

    /// "Playback length: 0m:03.653s" → seconds.
    static func opusinfoLength(_ text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Playback length:") }) else { return nil }
        let value = line.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces)   // "0m:03.653s"
        let parts = value.dropLast().split(separator: ":")
        guard parts.count == 2, let m = Int(parts[0].dropLast()), let s = Double(parts[1]) else { return nil }
        return Double(m) * 60 + s
    }

    static func opusinfoField(_ text: String, _ name: String) -> String? {
        text.split(separator: "\n").first { $0.contains(name + ":") }.map {
            $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces)
        }
    }
}
