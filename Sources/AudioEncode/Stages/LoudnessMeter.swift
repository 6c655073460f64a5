import CEbur128
import Foundation

/// One libebur128 state measuring mono audio: integrated loudness (EBU R128,
/// mono counted once, as ffmpeg's ebur128 filter does) and optionally true
/// peak. Destroyed in `deinit`.
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?

    init(sampleRate: Int, truePeak: Bool) throws {
        var mode = Int32(EBUR128_MODE_I.rawValue)
        if truePeak { mode |= Int32(EBUR128_MODE_TRUE_PEAK.rawValue) }
        guard let s = ebur128_init(1, UInt(sampleRate), mode) else {
            throw AudioEncodeError.loudnessFailed("libebur128 could not start at \(sampleRate) Hz")
        }
        state = s
    }

    deinit { ebur128_destroy(&state) }

    func add(_ samples: UnsafeBufferPointer<Float>) throws {
        guard samples.count > 0 else { return }
        let rc = ebur128_add_frames_float(state, samples.baseAddress, samples.count)
        if rc != Int32(EBUR128_SUCCESS.rawValue) { throw AudioEncodeError.loudnessFailed("libebur128 error \(rc)") }
    }

    /// Integrated loudness in LUFS; nil when there is too little sound to gate.
    var integratedLUFS: Double? {
        var value = 0.0
        guard ebur128_loudness_global(state, &value) == Int32(EBUR128_SUCCESS.rawValue), value.isFinite else { return nil }
        return value
    }

    /// True peak in dBTP; nil when silent or not measured.
    var truePeakDBTP: Double? {
        var value = 0.0
        guard ebur128_true_peak(state, 0, &value) == Int32(EBUR128_SUCCESS.rawValue), value > 0 else { return nil }
        return 20 * log10(value)
    }
}
