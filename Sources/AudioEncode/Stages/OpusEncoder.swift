import COpus

/// One libopus encoder, mono, tuned for speech as measured in
/// shared/research/opus-audio.md: VOIP application, voice signal, wideband
/// cap, complexity 10, unconstrained VBR. Destroyed in `deinit`.
final class OpusEncoder {
    private let handle: OpaquePointer
    let sampleRate: Int
    /// Encoder delay at `sampleRate`; pre-skip is this at 48 kHz.
    let lookahead: Int

    static let supportedRates: Set<Int> = [8000, 12000, 16000, 24000, 48000]

    init(sampleRate: Int, bitrateKbps: Int) throws {
        self.sampleRate = sampleRate
        var error: Int32 = 0
        guard let h = opus_encoder_create(Int32(sampleRate), 1, OPUS_APPLICATION_VOIP, &error), error == OPUS_OK else {
            throw AudioEncodeError.encoderFailed("cannot create an encoder at \(sampleRate) Hz (\(Self.message(error)))")
        }
        handle = h
        let settings: [(Int32, Int32, String)] = [
            (OPUS_SET_BITRATE_REQUEST, Int32(bitrateKbps * 1000), "bitrate"),
            (OPUS_SET_VBR_REQUEST, 1, "VBR"),
            (OPUS_SET_VBR_CONSTRAINT_REQUEST, 0, "unconstrained VBR"),
            (OPUS_SET_COMPLEXITY_REQUEST, 10, "complexity"),
            (OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_VOICE, "voice signal"),
            (OPUS_SET_MAX_BANDWIDTH_REQUEST, OPUS_BANDWIDTH_WIDEBAND, "wideband cap"),
        ]
        for (request, value, name) in settings {
            let rc = copus_set_int(handle, request, value)
            if rc != OPUS_OK {
                opus_encoder_destroy(handle)
                throw AudioEncodeError.encoderFailed("cannot set \(name) (\(Self.message(rc)))")
            }
        }
        var delay: Int32 = 0
        let rc = copus_get_int(handle, OPUS_GET_LOOKAHEAD_REQUEST, &delay)
        if rc != OPUS_OK {
            opus_encoder_destroy(handle)
            throw AudioEncodeError.encoderFailed("cannot read the lookahead (\(Self.message(rc)))")
        }
        lookahead = Int(delay)
    }

    deinit { opus_encoder_destroy(handle) }

    /// Encodes exactly `frameSize` samples (2.5…60 ms at `sampleRate`) into one packet.
    func encode(_ pcm: UnsafeBufferPointer<Float>, frameSize: Int) throws -> [UInt8] {
        precondition(pcm.count >= frameSize)
        var packet = [UInt8](repeating: 0, count: 4000)
        let n = packet.withUnsafeMutableBufferPointer {
            opus_encode_float(handle, pcm.baseAddress!, Int32(frameSize), $0.baseAddress!, Int32($0.count))
        }
        guard n > 0 else { throw AudioEncodeError.encoderFailed(Self.message(n)) }
        packet.removeSubrange(Int(n)...)
        return packet
    }

    static func message(_ code: Int32) -> String { String(cString: opus_strerror(code)) }

    static var versionString: String { String(cString: opus_get_version_string()) }
}
