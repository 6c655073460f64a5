import Foundation

/// The loudness stage: a fixed gain followed by the true-peak limiter. The
/// gain is chosen from measurements, because limiting a loud-peaked voice
/// takes some loudness away: `AnnouncementEncoder` measures the limited
/// result at a few trial gains in one pass and interpolates (`gain(for:)`).
final class LoudnessNormalizer {
    let gainDB: Double
    private let gain: Float
    private let limiter: TruePeakLimiter
    private var out: [Float] = []

    init(sampleRate: Int, gainDB: Double, ceilingDBTP: Double = EncodeOptions.truePeakCeilingDBTP) {
        self.gainDB = gainDB
        gain = Float(pow(10, gainDB / 20))
        limiter = TruePeakLimiter(sampleRate: sampleRate, ceilingDB: ceilingDBTP)
    }

    /// Gained and limited samples; fewer than given at first (the limiter's
    /// look-ahead), the rest come from `flush()`.
    func process(_ block: [Float]) -> [Float] {
        out.removeAll(keepingCapacity: true)
        var scaled = block
        let g = gain
        scaled.withUnsafeMutableBufferPointer { b in for i in 0..<b.count { b[i] *= g } }
        limiter.process(scaled, into: &out)
        return out
    }

    func flush() -> [Float] {
        out.removeAll(keepingCapacity: true)
        limiter.flush(into: &out)
        return out
    }

    /// The gain that reaches `target` LUFS, interpolated linearly between the
    /// trial gains that bracket it (extrapolated past the ends).
    static func gain(for target: Double, trials: [(gainDB: Double, lufs: Double)]) -> Double? {
        let points = trials.sorted { $0.gainDB < $1.gainDB }
        guard let first = points.first else { return nil }
        if points.count == 1 { return first.gainDB + target - first.lufs }
        var lower = points[0], upper = points[1]
        for i in 1..<points.count {
            lower = points[i - 1]; upper = points[i]
            if upper.lufs >= target { break }
        }
        let slope = (upper.lufs - lower.lufs) / (upper.gainDB - lower.gainDB)
        guard slope > 0.05 else { return upper.gainDB }
        return lower.gainDB + (target - lower.lufs) / slope
    }
}
