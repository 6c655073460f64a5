import Foundation

/// The SilenceTrim stage, in two halves: a streaming detector that listens to
/// the whole recording once (10 ms windows), and the sound range it decides on.
/// The threshold adapts to the recording's noise floor, so a hissy phone
/// recording is trimmed as well as a clean one, and a short pad of the
/// original audio is kept at each end so speech does not start abruptly.
struct SilenceDetector {
    let sampleRate: Int
    let window: Int
    /// Lead and tail pads, seconds.
    static let leadPad = 0.25
    static let tailPad = 0.4
    /// Nothing louder than this is silence, whatever the noise floor.
    static let silenceDBFS: Float = -60

    private(set) var levels: [Float] = []   // dBFS RMS per window (30 000 for 5 min)
    private var sum: Double = 0
    private var count = 0
    private(set) var frames = 0

    init(sampleRate: Int) {
        self.sampleRate = sampleRate
        window = max(1, sampleRate / 100)
    }

    mutating func add(_ block: UnsafeBufferPointer<Float>) {
        for x in block {
            sum += Double(x) * Double(x)
            count += 1
            if count == window { closeWindow() }
        }
        frames += block.count
    }

    private mutating func closeWindow() {
        let rms = (sum / Double(max(count, 1))).squareRoot()
        levels.append(rms > 0 ? Float(20 * log10(rms)) : -200)
        sum = 0; count = 0
    }

    var loudestDBFS: Float { (levels.max() ?? -200) }

    /// The frames to keep, or nil when there is no sound at all.
    mutating func soundRange() -> Range<Int>? {
        if count > 0 { closeWindow() }
        guard !levels.isEmpty, loudestDBFS >= Self.silenceDBFS else { return nil }
        let sorted = levels.sorted()
        let noiseFloor = sorted[sorted.count / 10]
        let loudest = loudestDBFS
        // Above the noise floor by 10 dB, but never within 20 dB of the
        // loudest window nor below −60 dBFS / 50 dB under the loudest.
        let threshold = min(max(noiseFloor + 10, Self.silenceDBFS, loudest - 50), loudest - 20)
        guard let first = levels.firstIndex(where: { $0 >= threshold }),
              let last = levels.lastIndex(where: { $0 >= threshold }) else { return nil }
        let start = max(0, first * window - Int(Self.leadPad * Double(sampleRate)))
        let end = min(frames, (last + 1) * window + Int(Self.tailPad * Double(sampleRate)))
        return start < end ? start..<end : nil
    }
}

/// Short fades where trimming cut into the recording's noise, so the cut
/// does not click.
enum EdgeFade {
    static let seconds = 0.015

    /// Applies the fade-in/out to `block`, which starts at kept-frame index
    /// `position` of `keptFrames`.
    static func apply(_ block: inout [Float], position: Int, keptFrames: Int, sampleRate: Int, fadeIn: Bool, fadeOut: Bool) {
        let length = max(1, Int(seconds * Double(sampleRate)))
        for i in 0..<block.count {
            let k = position + i
            var g: Float = 1
            if fadeIn && k < length { g = Float(k) / Float(length) }
            if fadeOut && keptFrames - 1 - k < length { g = min(g, Float(keptFrames - 1 - k) / Float(length)) }
            if g < 1 { block[i] *= max(0, g) }
        }
    }
}
