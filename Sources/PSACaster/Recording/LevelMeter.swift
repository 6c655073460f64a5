import Foundation

/// Loudness of each block of samples for the live meter, and clipping
/// (samples at full scale: the microphone is too close or the gain too high).
struct LevelMeter {
    /// Sound at this level or above counts as "not silent".
    static let silenceFloorDBFS = -50.0
    /// A block with this many full-scale samples is clipping audibly.
    static let clippedSamplesPerBlock = 3

    private(set) var loudestDBFS = -120.0
    private(set) var clippedBlocks = 0

    struct Block { var peakDBFS: Double; var rmsDBFS: Double; var clipped: Bool }

    mutating func measure(_ samples: [Int16]) -> Block {
        var peak: Int32 = 0, sum = 0.0, fullScale = 0
        for s in samples {
            let a = abs(Int32(s))
            if a > peak { peak = a }
            if a >= 32_767 { fullScale += 1 }
            let x = Double(s) / 32_768
            sum += x * x
        }
        let rms = samples.isEmpty ? 0 : (sum / Double(samples.count)).squareRoot()
        let block = Block(peakDBFS: Self.dB(Double(peak) / 32_768), rmsDBFS: Self.dB(rms), clipped: fullScale >= Self.clippedSamplesPerBlock)
        loudestDBFS = max(loudestDBFS, block.peakDBFS)
        if block.clipped { clippedBlocks += 1 }
        return block
    }

    var heardSound: Bool { loudestDBFS >= Self.silenceFloorDBFS }

    static func dB(_ linear: Double) -> Double { linear > 0 ? max(-120, 20 * log10(linear)) : -120 }

    /// "[##########··········]" over -60…0 dBFS.
    static func bar(_ dBFS: Double, width: Int = 24) -> String {
        let filled = Int(((dBFS + 60) / 60 * Double(width)).rounded()).clamped(to: 0...width)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "]"
    }
}

extension Comparable {
    func clamped(to r: ClosedRange<Self>) -> Self { min(max(self, r.lowerBound), r.upperBound) }
}
