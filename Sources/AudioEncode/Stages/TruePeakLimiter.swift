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
        input.withUnsafeBufferPointer { run($0, count: $0.count, counting: true, into: &output) }
    }

    func flush(into output: inout [Float]) {
        let zeros = [Float](repeating: 0, count: latency)
        zeros.withUnsafeBufferPointer { run($0, count: $0.count, counting: false, into: &output) }
    }

    /// The per-sample loop, on local copies of the state (class property
    /// access per sample is slow in debug builds).
    private func run(_ input: UnsafeBufferPointer<Float>, count: Int, counting: Bool, into output: inout [Float]) {
        var historyPos = self.historyPos, delayPos = self.delayPos
        var minHead = self.minHead, minCount = self.minCount
        var released = self.released, boxPos = self.boxPos, boxSum = self.boxSum
        var peakIndex = self.peakIndex, inputCount = self.inputCount, pending = self.pending
        let ceiling = self.ceiling, lookahead = self.lookahead, release = self.release, latency = self.latency
        let invLookahead = 1 / Double(lookahead)
        let start = output.count
        output.reserveCapacity(start + count)
        var produced = [Float](repeating: 0, count: count)
        var n = 0
        history.withUnsafeMutableBufferPointer { history in
        delay.withUnsafeMutableBufferPointer { delay in
        minValues.withUnsafeMutableBufferPointer { minValues in
        minIndices.withUnsafeMutableBufferPointer { minIndices in
        boxRing.withUnsafeMutableBufferPointer { boxRing in
        produced.withUnsafeMutableBufferPointer { out in
        phases[0].withUnsafeBufferPointer { p0 in
        phases[1].withUnsafeBufferPointer { p1 in
        phases[2].withUnsafeBufferPointer { p2 in
            let delayCount = delay.count, dequeCount = minValues.count
            for i in 0..<count {
                let x = input[i]
                if counting { pending += 1 }
                history[historyPos] = x
                historyPos = (historyPos + 1) & 7
                delay[delayPos] = x
                delayPos += 1
                if delayPos == delayCount { delayPos = 0 }
                inputCount += 1
                if inputCount < 5 { continue }   // need x[m+4]
                // Peak around m = n − 4; history holds x[n−7…n], oldest at historyPos.
                var p = abs(history[(historyPos + 3) & 7])
                var y0: Float = 0, y1: Float = 0, y2: Float = 0
                for k in 0..<8 {
                    let h = history[(historyPos + k) & 7]
                    y0 += p0[k] * h; y1 += p1[k] * h; y2 += p2[k] * h
                }
                p = max(p, abs(y0), abs(y1), abs(y2))
                let required: Float = p > ceiling ? ceiling / p : 1
                let m = peakIndex
                peakIndex += 1
                // Sliding minimum over indices m−L … m (monotonic deque).
                while minCount > 0 && minValues[(minHead + minCount - 1) % dequeCount] >= required { minCount -= 1 }
                let slot = (minHead + minCount) % dequeCount
                minValues[slot] = required
                minIndices[slot] = m
                minCount += 1
                while minIndices[minHead] < m - lookahead {
                    minHead += 1
                    if minHead == dequeCount { minHead = 0 }
                    minCount -= 1
                }
                let h = minValues[minHead]
                released = h < released ? h : h + (released - h) * release
                boxSum += Double(released) - Double(boxRing[boxPos])
                boxRing[boxPos] = released
                boxPos += 1
                if boxPos == lookahead { boxPos = 0 }
                // Output sample k = m − L + 1, `latency` behind the newest input.
                guard m - lookahead + 1 >= 0, pending > 0 else { continue }
                var index = delayPos - 1 - latency
                if index < 0 { index += delayCount }
                if index < 0 { index += delayCount }
                out[n] = delay[index] * Float(boxSum * invLookahead)
                n += 1
                pending -= 1
            }
        }}}}}}}}}
        output.append(contentsOf: produced[0..<n])
        self.historyPos = historyPos; self.delayPos = delayPos
        self.minHead = minHead; self.minCount = minCount
        self.released = released; self.boxPos = boxPos; self.boxSum = boxSum
        self.peakIndex = peakIndex; self.inputCount = inputCount; self.pending = pending
    }
}
