import XCTest
@testable import PSACaster

final class RecordLevelMeterTests: XCTestCase {
    func testLevelsAndClipping() {
        var meter = LevelMeter()
        let quiet = meter.measure([Int16](repeating: 0, count: 480))
        XCTAssertEqual(quiet.peakDBFS, -120)
        XCTAssertFalse(meter.heardSound)
        // A half-scale sine: peak about -6 dBFS, RMS about -9 dBFS.
        let sine = (0..<4800).map { Int16(16_384 * sin(Double($0) * 2 * .pi * 440 / 48_000)) }
        let s = meter.measure(sine)
        XCTAssertEqual(s.peakDBFS, -6.02, accuracy: 0.1)
        XCTAssertEqual(s.rmsDBFS, -9.03, accuracy: 0.1)
        XCTAssertFalse(s.clipped)
        XCTAssertTrue(meter.heardSound)
        let square = (0..<480).map { $0 % 100 < 50 ? Int16.max : Int16.min }
        XCTAssertTrue(meter.measure(square).clipped)
        XCTAssertEqual(meter.clippedBlocks, 1)
        XCTAssertEqual(LevelMeter.bar(0, width: 4), "[####]")
        XCTAssertEqual(LevelMeter.bar(-120, width: 4), "[····]")
    }

    func testWAVWriterFillsInTheHeader() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString).wav").path
        defer { unlink(path) }
        let w = try WAVFileWriter(path: path, rate: 16_000)
        try w.append([1, -1, 300])
        try w.append([Int16.min])
        try w.finish()
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        XCTAssertEqual(bytes.count, 44 + 8)
        XCTAssertEqual(Array(bytes[0..<4]), Array("RIFF".utf8))
        XCTAssertEqual(UInt32(bytes[40]) | UInt32(bytes[41]) << 8, 8)            // data size
        XCTAssertEqual(UInt32(bytes[24]) | UInt32(bytes[25]) << 8, 16_000)       // sample rate
        XCTAssertEqual(Array(bytes[44...]), [1, 0, 0xff, 0xff, 0x2c, 0x01, 0x00, 0x80])
    }
}
