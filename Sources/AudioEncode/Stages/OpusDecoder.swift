import COpus

/// One libopus decoder (mono, 48 kHz), used to listen to our own output the
/// way a phone will: the encoder changes loudness and overshoots peaks, so
/// the result is measured after decoding, not before. Destroyed in `deinit`.
final class OpusDecoder {
    private let handle: OpaquePointer
    private var pcm = [Float](repeating: 0, count: 5760)

    init() throws {
        var error: Int32 = 0
        guard let h = opus_decoder_create(48000, 1, &error), error == OPUS_OK else {
            throw AudioEncodeError.encoderFailed("cannot create a decoder (\(OpusEncoder.message(error)))")
        }
        handle = h
    }

    deinit { opus_decoder_destroy(handle) }

    /// Decodes one packet; the returned slice is valid until the next call.
    func decode(_ packet: [UInt8]) throws -> ArraySlice<Float> {
        let n = packet.withUnsafeBufferPointer { p in
            pcm.withUnsafeMutableBufferPointer { out in
                opus_decode_float(handle, p.baseAddress, Int32(p.count), out.baseAddress!, Int32(out.count), 0)
            }
        }
        guard n >= 0 else { throw AudioEncodeError.encoderFailed("our own packet did not decode (\(OpusEncoder.message(n)))") }
        return pcm[0..<Int(n)]
    }
}
