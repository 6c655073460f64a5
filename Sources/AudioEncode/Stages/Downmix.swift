/// The Downmix stage: interleaved frames of any channel count → mono, the
/// plain average of the channels (speech is centred; stereo costs bits and
/// scored worse at the same size). Rejects NaN/∞ samples, which would
/// poison the loudness measurement and the encoder.
enum Downmix {
    /// Writes `frames` mono samples into `mono`; returns the index of the
    /// first non-finite input frame, if any.
    static func mono(_ interleaved: [Float], frames: Int, channels: Int, into mono: inout [Float]) -> Int? {
        if mono.count != frames { mono = [Float](repeating: 0, count: frames) }
        var firstBad: Int?
        interleaved.withUnsafeBufferPointer { src in
            mono.withUnsafeMutableBufferPointer { dst in
                if channels == 1 {
                    for i in 0..<frames { dst[i] = src[i] }
                } else {
                    let scale = 1 / Float(channels)
                    for i in 0..<frames {
                        var sum: Float = 0
                        let base = i * channels
                        for c in 0..<channels { sum += src[base + c] }
                        dst[i] = sum * scale
                    }
                }
                for i in 0..<frames where !dst[i].isFinite {
                    firstBad = i
                    break
                }
            }
        }
        return firstBad
    }
}
