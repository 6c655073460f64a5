// Dependency-free (compiled standalone into the Ogg fuzz target): any byte
// string must give an answer, never a trap. Checks follow RFC 3533 (Ogg) and
// RFC 7845 (Ogg Opus).

/// Parses a whole Ogg Opus file held in memory and lists its structural faults.
public enum OggOpusReader {
    static let maxFaults = 20

    public static func read(_ bytes: [UInt8]) -> OggOpusInfo {
        var state = ReaderState(bytes: bytes)
        state.run()
        return state.finish()
    }

    /// Samples (48 kHz) in one Opus packet, from its TOC byte (RFC 6716 §3.1);
    /// nil when the packet is malformed.
    static func packetSamples(_ p: ArraySlice<UInt8>) -> Int? {
        guard let toc = p.first else { return nil }
        let config = Int(toc >> 3)
        let frame: Int
        if config < 12 { frame = [480, 960, 1920, 2880][config & 3] }
        else if config < 16 { frame = [480, 960][config & 1] }
        else { frame = [120, 240, 480, 960][config & 3] }
        let count: Int
        switch toc & 3 {
        case 0: count = 1
        case 1:
            guard (p.count - 1) % 2 == 0 else { return nil }
            count = 2
        case 2: count = 2
        default:
            guard p.count >= 2 else { return nil }
            count = Int(p[p.startIndex + 1] & 0x3F)
            guard count > 0 else { return nil }
        }
        let total = frame * count
        return total <= 5760 ? total : nil
    }
}

private struct ReaderState {
    let bytes: [UInt8]
    var info = OggOpusInfo()
    var faults: [String] = []
    var extraFaults = 0

    var serial: UInt32?
    var lastSequence: UInt32?
    var partial: [UInt8] = []
    var partialStarted = false
    var packetIndex = 0
    var headSeen = false
    var tagsSeen = false
    var sawEOS = false
    var eosPage = -1
    var pageIndex = 0
    var previousGranule: Int64?
    var startOffset: Int64 = 0
    var lastGranule: Int64?
    var audioBytes = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func fault(_ text: String) {
        if faults.count < OggOpusReader.maxFaults { faults.append(text) } else { extraFaults += 1 }
    }

    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }

    func isCapture(_ at: Int) -> Bool {
        at + 4 <= bytes.count && bytes[at] == 0x4F && bytes[at + 1] == 0x67 && bytes[at + 2] == 0x67 && bytes[at + 3] == 0x53
    }

    mutating func run() {
        info.sizeBytes = bytes.count
        if bytes.isEmpty { fault("the file is empty"); return }
        var offset = 0
        while offset < bytes.count {
            if !isCapture(offset) {
                var next = offset + 1
                while next < bytes.count && !isCapture(next) { next += 1 }
                fault("\(next - offset) bytes of data that is not an Ogg page at offset \(offset)")
                offset = next
                continue
            }
            guard bytes.count - offset >= 27 else {
                fault("truncated page header at offset \(offset): the file is cut short"); return
            }
            let segments = Int(bytes[offset + 26])
            guard bytes.count - offset >= 27 + segments else {
                fault("truncated page at offset \(offset): the file is cut short"); return
            }
            var bodyLength = 0
            for i in 0..<segments { bodyLength += Int(bytes[offset + 27 + i]) }
            let end = offset + 27 + segments + bodyLength
            guard end <= bytes.count else {
                fault("truncated page at offset \(offset) (needs \(end - offset) bytes, \(bytes.count - offset) left): the file is cut short")
                return
            }
            page(at: offset, segments: segments, end: end)
            offset = end
        }
    }

    mutating func page(at offset: Int, segments: Int, end: Int) {
        let index = pageIndex
        pageIndex += 1
        let name = "page \(index) (offset \(offset))"
        let version = bytes[offset + 4]
        let flags = bytes[offset + 5]
        let granuleRaw = u64(offset + 6)
        let granule = Int64(bitPattern: granuleRaw)
        let pageSerial = u32(offset + 14)
        let sequence = u32(offset + 18)
        let storedCRC = u32(offset + 22)
        if version != 0 { fault("\(name): unknown Ogg version \(version)") }
        if flags & ~0x07 != 0 { fault("\(name): unknown header flags 0x\(String(flags, radix: 16))") }
        let computed = OggCRC.checksum(bytes, offset..<end, zeroing: (offset + 22)..<(offset + 26))
        if computed != storedCRC {
            fault("\(name): CRC mismatch (stored 0x\(String(storedCRC, radix: 16)), computed 0x\(String(computed, radix: 16))): the file is damaged")
        }
        if let s = serial {
            if s != pageSerial {
                fault("\(name): a second logical stream (serial \(pageSerial)); only single-stream Ogg Opus is supported")
                return
            }
        } else {
            serial = pageSerial
        }
        if let last = lastSequence, sequence != last &+ 1 {
            fault("\(name): sequence number \(sequence) follows \(last): pages are missing")
        }
        lastSequence = sequence
        let continued = flags & 0x01 != 0
        let bos = flags & 0x02 != 0
        let eos = flags & 0x04 != 0
        if bos != (index == 0) {
            fault(bos ? "\(name): beginning-of-stream flag on a page other than the first" : "\(name): first page lacks the beginning-of-stream flag")
        }
        if sawEOS { fault("\(name): data after the end-of-stream page") }
        if eos { sawEOS = true; eosPage = index }

        if continued && !partialStarted {
            fault("\(name): continues a packet that never started")
        } else if !continued && partialStarted {
            fault("\(name): the previous page's last packet was never finished")
            partial.removeAll(); partialStarted = false
        }

        // Split the body into packets completed on this page.
        var completed: [ArraySlice<UInt8>] = []
        var cursor = offset + 27 + segments
        var pieceStart = cursor
        var assembled: [[UInt8]] = []
        var lastLacing = 0
        for i in 0..<segments {
            let lacing = Int(bytes[offset + 27 + i])
            lastLacing = lacing
            cursor += lacing
            if lacing < 255 {
                if partialStarted {
                    partial.append(contentsOf: bytes[pieceStart..<cursor])
                    assembled.append(partial)
                    partial.removeAll(); partialStarted = false
                } else {
                    assembled.append(Array(bytes[pieceStart..<cursor]))
                }
                pieceStart = cursor
            }
        }
        if segments > 0 && lastLacing == 255 {
            partial.append(contentsOf: bytes[pieceStart..<cursor])
            partialStarted = true
        }
        completed = assembled.map { $0[...] }

        var samplesOnPage: Int64 = 0
        var lastPacketSamples: Int64 = 0
        var headerPacketsOnPage = 0
        var audioPacketsOnPage = 0
        for packet in completed {
            let n = packetIndex
            packetIndex += 1
            if n == 0 {
                headerPacketsOnPage += 1
                opusHead(packet, page: name, index: index, completedOnPage: completed.count)
            } else if n == 1 {
                headerPacketsOnPage += 1
                opusTags(packet, page: name)
            } else {
                audioPacketsOnPage += 1
                info.audioPacketCount += 1
                audioBytes += packet.count
                if packet.isEmpty {
                    fault("\(name): an empty audio packet")
                } else if let s = OggOpusReader.packetSamples(packet) {
                    samplesOnPage += Int64(s)
                    lastPacketSamples = Int64(s)
                } else {
                    fault("\(name): a malformed Opus packet (bad TOC or frame count)")
                }
            }
        }

        // Header pages: granule 0; the tags packet must end its page.
        if packetIndex <= 2 || headerPacketsOnPage > 0 {
            if headerPacketsOnPage > 0 && audioPacketsOnPage > 0 {
                fault("\(name): audio data shares a page with the headers")
            }
            if headerPacketsOnPage > 0 || completed.isEmpty {
                if granule != 0 && !(completed.isEmpty && granuleRaw == UInt64.max) {
                    fault("\(name): header page has granule position \(granule), expected 0")
                }
                if packetIndex == 2 && partialStarted {
                    fault("\(name): OpusTags does not end its page")
                }
                return
            }
        }

        // Audio pages.
        if completed.isEmpty {
            if granuleRaw != UInt64.max { fault("\(name): no packet ends on this page but its granule position is \(granule), expected -1") }
            return
        }
        if granule < 0 { fault("\(name): negative granule position \(granule)"); return }
        if let previous = previousGranule {
            let (expected, overflow) = previous.addingReportingOverflow(samplesOnPage)
            if overflow { fault("\(name): granule position overflows"); return }
            if eos {
                let trim = expected &- granule
                if trim < 0 {
                    fault("\(name): granule position \(granule) exceeds the \(expected) samples the packets hold")
                } else if trim >= samplesOnPage && samplesOnPage > 0 {
                    fault("\(name): end trim of \(trim) samples removes the whole last page")
                }
            } else if granule != expected {
                fault("\(name): granule position \(granule), expected \(expected) from the packets")
            }
        } else {
            // First audio page: its granule may start later than 0 (a cut
            // stream), never earlier than the samples it holds.
            if granule < samplesOnPage && !eos {
                fault("\(name): first audio page granule \(granule) is smaller than its \(samplesOnPage) samples")
            } else if !eos {
                startOffset = granule - samplesOnPage
            }
        }
        _ = lastPacketSamples
        previousGranule = granule
        lastGranule = granule
    }

    mutating func opusHead(_ p: ArraySlice<UInt8>, page name: String, index: Int, completedOnPage: Int) {
        headSeen = true
        if index != 0 || completedOnPage != 1 { fault("\(name): OpusHead must be alone on the first page") }
        let b = Array(p)
        guard b.count >= 19, b[0..<8].elementsEqual("OpusHead".utf8) else {
            fault("the first packet is not an OpusHead header: this is not an Ogg Opus file")
            return
        }
        let version = b[8]
        if version & 0xF0 != 0 { fault("OpusHead: unsupported version \(version)") }
        else if version == 0 { fault("OpusHead: version 0 is invalid (expected 1)") }
        info.channels = Int(b[9])
        info.preSkip = Int(b[10]) | Int(b[11]) << 8
        info.inputSampleRate = Int(UInt32(b[12]) | UInt32(b[13]) << 8 | UInt32(b[14]) << 16 | UInt32(b[15]) << 24)
        let gain = Int16(bitPattern: UInt16(b[16]) | UInt16(b[17]) << 8)
        info.outputGainDB = Double(gain) / 256
        info.mappingFamily = Int(b[18])
        if info.channels == 0 { fault("OpusHead: channel count is 0") }
        switch info.mappingFamily {
        case 0:
            if info.channels > 2 { fault("OpusHead: mapping family 0 allows 1 or 2 channels, not \(info.channels)") }
            if b.count != 19 { fault("OpusHead: \(b.count) bytes, expected 19 for mapping family 0") }
        default:
            let need = 21 + info.channels
            if b.count < need {
                fault("OpusHead: \(b.count) bytes, too short for the channel mapping table (\(need))")
            } else {
                let streams = Int(b[19]), coupled = Int(b[20])
                if streams == 0 || coupled > streams || streams + coupled > 255 {
                    fault("OpusHead: invalid stream counts (\(streams) streams, \(coupled) coupled)")
                }
                for c in 0..<info.channels where Int(b[21 + c]) >= streams + coupled && b[21 + c] != 255 {
                    fault("OpusHead: channel \(c) maps to a stream that does not exist"); break
                }
            }
            if info.mappingFamily == 1 && info.channels > 8 { fault("OpusHead: mapping family 1 allows at most 8 channels") }
        }
    }

    mutating func opusTags(_ p: ArraySlice<UInt8>, page name: String) {
        tagsSeen = true
        let b = Array(p)
        guard b.count >= 16, b[0..<8].elementsEqual("OpusTags".utf8) else {
            fault("the second packet is not an OpusTags header"); return
        }
        var at = 8
        func length() -> Int? {
            guard at + 4 <= b.count else { return nil }
            let v = Int(UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24)
            at += 4
            return v
        }
        guard let vendorLength = length(), vendorLength <= b.count - at else {
            fault("OpusTags: vendor string length runs past the packet"); return
        }
        info.vendor = String(decoding: b[at..<(at + vendorLength)], as: UTF8.self)
        at += vendorLength
        guard let count = length() else { fault("OpusTags: comment count runs past the packet"); return }
        for i in 0..<count {
            guard let n = length(), n <= b.count - at else {
                fault("OpusTags: comment \(i) length runs past the packet"); return
            }
            let raw = b[at..<(at + n)]
            at += n
            guard let eq = raw.firstIndex(of: 0x3D), eq > raw.startIndex else {
                fault("OpusTags: comment \(i) is not KEY=value"); continue
            }
            let key = String(decoding: raw[raw.startIndex..<eq], as: UTF8.self)
            let valueBytes = raw[(eq + 1)...]
            guard let value = String(validating: valueBytes, as: UTF8.self) else {
                fault("OpusTags: comment \(key) is not valid UTF-8"); continue
            }
            if key.utf8.contains(where: { $0 < 0x20 || $0 > 0x7D }) { fault("OpusTags: comment key '\(key)' has invalid characters") }
            info.tags.append(OggOpusTag(key: key, value: value))
        }
    }

    mutating func finish() -> OggOpusInfo {
        info.pageCount = pageIndex
        if !bytes.isEmpty {
            if !headSeen { fault("no OpusHead header: this is not an Ogg Opus file") }
            else if !tagsSeen { fault("no OpusTags header: the file is cut short") }
        }
        if partialStarted { fault("the last packet is unfinished: the file is cut short") }
        if pageIndex > 0 && !sawEOS { fault("no end-of-stream page: the file is cut short") }
        else if sawEOS && eosPage != pageIndex - 1 { /* reported as data after EOS */ }
        if headSeen && tagsSeen && info.audioPacketCount == 0 { fault("no audio packets") }
        if let last = lastGranule {
            let samples = last - Int64(info.preSkip) - startOffset
            if samples < 0 {
                fault("the last granule position \(last) is smaller than the pre-skip \(info.preSkip)")
            } else {
                info.decodedSamples48k = Int(samples)
                info.durationSeconds = Double(samples) / 48000
                if samples > 0 { info.averageBitrateKbps = Double(audioBytes) * 8 / info.durationSeconds / 1000 }
            }
        }
        if extraFaults > 0 { faults.append("… and \(extraFaults) more faults") }
        info.faults = faults
        info.isValid = faults.isEmpty
        return info
    }
}
