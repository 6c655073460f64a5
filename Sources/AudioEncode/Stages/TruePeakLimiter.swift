import Foundation

/// The limiter half of the loudness stage: a look-ahead peak limiter whose
/// detector estimates inter-sample (true) peaks by 4× interpolation, so the
/// signal entering the encoder stays under the ceiling even between samples.
///
/// Gain computer: required gain per sample → sliding minimum over the
/// look-ahead window (instant attack) → exponential release → moving average
/// over the same window. Because every gain the average sees near a peak is
/// already ≤ the peak's required gain, the average is too: the ceiling holds
/// with smooth gain changes. Output is delayed internally; `flush()` returns
/// the tail, so output length equals input length.
final class TruePeakLimiter {
    let ceiling: Float
    let lookahead: Int
    private let release: Float
    /// 8-tap windowed-sinc interpolators for positions +0.25, +0.5, +0.75.
    private let phases: [[Float]]
    private var history = [Float](repeating: 0, count: 8)   // x[n-7…n], ring
    private var historyPos = 0
    private var delay: [Float]                               // x, for output
    private var delayPos = 0
    private var minValues: [Float]                           // monotonic deque of (index, gain)
    private var minIndices: [Int]
    private var minHead = 0, minCount = 0
    private var released: Float = 1
    private var boxRing: [Float]
    private var boxPos = 0
    private var boxSum: Double
    private var peakIndex = 0    // index m of the next peak estimate
    private var inputCount = 0
    private var pending = 0      // samples received but not yet output

    init(sampleRate: Int, ceilingDB: Double, lookaheadSeconds: Double = 0.005, releaseSeconds: Double = 0.05) {
        ceiling = Float(pow(10, ceilingDB / 20))
        lookahead = max(4, Int(lookaheadSeconds * Double(sampleRate)))
        release = Float(exp(-1 / (releaseSeconds * Double(sampleRate))))
        phases = [0.25, 0.5, 0.75].map { frac in
            (0..<8).map { k -> Float in
                let t = frac - Double(k - 3)               // taps at x[m-3 … m+4]
                let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
                let w = 0.5 + 0.5 * cos(Double.pi * t / 4.5)  // Hann over ±4.5
                return Float(sinc * w)
            }
        }
        delay = [Float](repeating: 0, count: lookahead + 8)
        minValues = [Float](repeating: 1, count: lookahead + 2)
        minIndices = [Int](repeating: 0, count: lookahead + 2)
        boxRing = [Float](repeating: 1, count: lookahead)
        boxSum = Double(lookahead)
    }

    /// Total delay between an input sample and its output.
    var latency: Int { lookahead + 3 }

    func process(_ input: [Float], into output: inout [Float]) {
        for x in input { push(x, into: &output) }
    }

    func flush(into output: inout [Float]) {
        let tail = min(pending, latency)
        for _ in 0..<latency { push(0, into: &output, counting: false) }
        _ = tail
    }

    private func push(_ x: Float, into output: inout [Float], counting: Bool = true) {
        if counting { pending += 1 }
        history[historyPos] = x
        historyPos = (historyPos + 1) & 7
        delay[delayPos] = x
        delayPos = (delayPos + 1) % delay.count
        inputCount += 1
        guard inputCount >= 5 else { return }   // need x[m+4]
        // Peak around m = n - 4: history holds x[n-7…n]; oldest at historyPos.
        var p = abs(history[(historyPos + 3) & 7])   // x[m]
        for phase in phases {
            var y: Float = 0
            for k in 0..<8 { y += phase[k] * history[(historyPos + k) & 7] }  // x[m-3+k]
            p = max(p, abs(y))
        }
        let required: Float = p > ceiling ? ceiling / p : 1
        let m = peakIndex
        peakIndex += 1
        // Sliding minimum over indices m-L … m.
        while minCount > 0 && minValues[(minHead + minCount - 1) % minValues.count] >= required { minCount -= 1 }
        minValues[(minHead + minCount) % minValues.count] = required
        minIndices[(minHead + minCount) % minValues.count] = m
        minCount += 1
        while minIndices[minHead] < m - lookahead { minHead = (minHead + 1) % minValues.count; minCount -= 1 }
        let h = minValues[minHead]
        released = h < released ? h : h + (released - h) * release
        boxSum += Double(released) - Double(boxRing[boxPos])
        boxRing[boxPos] = released
        boxPos = (boxPos + 1) % lookahead
        // Output k = m - L + 1, whose input sample is `latency` behind the newest.
        let k = m - lookahead + 1
        guard k >= 0, pending > 0 else { return }
        let index = (delayPos - 1 - latency + delay.count * 2) % delay.count
        output.append(delay[index] * Float(boxSum / Double(lookahead)))
        pending -= 1
    }
}
