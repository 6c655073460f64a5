import COgg

/// One libogg logical stream (the page builder). Cleared in `deinit`.
final class OggStream {
    private let state: UnsafeMutablePointer<ogg_stream_state>
    private var packetNumber: Int64 = 0

    init(serial: Int32) throws {
        state = .allocate(capacity: 1)
        guard ogg_stream_init(state, serial) == 0 else {
            state.deallocate()
            throw AudioEncodeError.muxFailed("ogg_stream_init failed")
        }
    }

    deinit {
        ogg_stream_clear(state)
        state.deallocate()
    }

    func add(packet: [UInt8], granule: Int64, bos: Bool = false, eos: Bool = false) throws {
        var data = packet
        let rc = data.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var p = ogg_packet()
            p.packet = buffer.baseAddress
            p.bytes = buffer.count
            p.b_o_s = bos ? 1 : 0
            p.e_o_s = eos ? 1 : 0
            p.granulepos = granule
            p.packetno = packetNumber
            return ogg_stream_packetin(state, &p)
        }
        guard rc == 0 else { throw AudioEncodeError.muxFailed("ogg_stream_packetin failed") }
        packetNumber += 1
    }

    /// Every page of what is buffered, forced out now (headers on their own
    /// pages, ~1 s audio pages, the EOS page).
    func flushPages() -> [[UInt8]] {
        var pages: [[UInt8]] = []
        var page = ogg_page()
        while ogg_stream_flush(state, &page) != 0 {
            var bytes = [UInt8](UnsafeBufferPointer(start: page.header, count: page.header_len))
            bytes.append(contentsOf: UnsafeBufferPointer(start: page.body, count: page.body_len))
            pages.append(bytes)
        }
        return pages
    }
}
