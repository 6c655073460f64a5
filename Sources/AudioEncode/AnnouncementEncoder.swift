import Foundation

/// Turns a field recording into a small, loud, standards-correct Ogg Opus
/// announcement:
///
///     decode → mono → trim silence → loudness (gain + true-peak limiter)
///            → resample → Opus (speech settings) → Ogg (RFC 7845) → atomic file
///
///     let report = try AnnouncementEncoder.encode(
///         input: "recording.m4a", output: "helpline-vi.opus",
///         options: EncodeOptions(title: "Helpline", language: "vi"))
///
/// Memory stays small whatever the length: every pass streams the input in
/// blocks, and only the Opus packets (≈ 2 KB per second) are held. The
/// passes: (1) measure loudness and find the sound, (2) measure what the
/// limiter leaves at a few trial gains, (3) encode, then decode our own
/// packets and measure them as a phone will play them — re-encoding with a
/// corrected gain/ceiling if the decode misses −16 ± 0.5 LUFS or −1.3 dBTP.
/// Passes 1–2 and the correction are skipped when trimming/loudness are off.
///
/// Throws `AudioEncodeError` (one-line human message); on any error the
/// output path is left untouched.
public enum AnnouncementEncoder {
    /// Frames read from the decoder per block.
    static let blockFrames = 8192
    /// Opus frame length: 40 ms saved 1–7 % bytes at equal quality.
    static let frameMilliseconds = 40
    /// Quiet recordings are lifted at most this much (more only amplifies hiss).
    static let maxGainDB = 40.0
    /// Opus at 12–24 kbps decodes ~0.4–0.5 LU quieter than its input
    /// (research §3), so aim that much above −16 LUFS before encoding.
    static let preEncodeTargetLUFS = EncodeOptions.targetLUFS + 0.4

    public static func encode(input: String, output: String, options: EncodeOptions = EncodeOptions(),
                              progress: ((Double) -> Void)? = nil) throws -> EncodeReport {
        guard EncodeOptions.bitrateRange.contains(options.bitrateKbps) else {
            throw AudioEncodeError.badOption("cannot encode at \(options.bitrateKbps) kbps: out of range. Use \(EncodeOptions.bitrateRange.lowerBound) to \(EncodeOptions.bitrateRange.upperBound) kbps (16 is the tested default).")
        }
        guard options.maxSeconds > 0, options.maxSeconds.isFinite else {
            throw AudioEncodeError.badOption("cannot apply a duration limit of \(options.maxSeconds) s: it must be positive. Give a number of seconds such as 300.")
        }
        if sameFile(input, output) { throw AudioEncodeError.outputIsInput(path: output) }

        let source = try InputDecoder(path: input, maxSeconds: options.maxSeconds)
        let rate = source.sampleRate
        let declaredSeconds = Double(source.declaredFrames) / Double(rate)
        if declaredSeconds > options.maxSeconds {
            throw AudioEncodeError.tooLong(path: input, seconds: declaredSeconds, limit: options.maxSeconds)
        }
        let file = try AtomicOutputFile(path: output)
        let encoderRate = OpusEncoder.supportedRates.contains(rate) ? rate : 48000
        let passes = Double((options.trimSilence || options.normalizeLoudness ? 1 : 0) + (options.normalizeLoudness ? 1 : 0)) + 2.5
        var done = 0.0
        var lastReported = -1.0
        let estimatedFrames = max(1, source.declaredFrames)
        func report(_ pass: Double, _ frames: Int) {
            guard let progress else { return }
            let f = min(1, (done + pass * min(1, Double(frames) / Double(estimatedFrames))) / passes)
            if f - lastReported >= 0.01 { lastReported = f; progress(f) }
        }

        // Pass 1: loudness before, and where the sound is.
        var totalFrames: Int?
        var keep: Range<Int>?
        var loudnessBefore: Double?
        if options.trimSilence || options.normalizeLoudness {
            let meter = try LoudnessMeter(sampleRate: rate, truePeak: false)
            var detector = SilenceDetector(sampleRate: rate)
            let frames = try readMono(source, maxSeconds: options.maxSeconds) { block, position in
                try block.withUnsafeBufferPointer { b in
                    try meter.add(b)
                    detector.add(b)
                }
                report(1, position + block.count)
            }
            done += 1
            if frames == 0 { throw AudioEncodeError.noAudio(path: input) }
            try checkTruncation(source, readFrames: frames)
            totalFrames = frames
            loudnessBefore = meter.integratedLUFS
            guard let sound = detector.soundRange() else { throw AudioEncodeError.silent(path: input) }
            keep = options.trimSilence ? sound : 0..<frames
        }
        if let keep {
            let seconds = Double(keep.count) / Double(rate)
            if seconds < EncodeOptions.minimumSeconds {
                throw AudioEncodeError.tooShort(path: input, seconds: seconds, minimum: EncodeOptions.minimumSeconds)
            }
        }

        // Pass 2: limiting takes some loudness away, so measure the limited
        // result at a few trial gains (one decode, parallel chains) and
        // interpolate the gain that lands on the target.
        var gainDB = 0.0
        if options.normalizeLoudness, let before = loudnessBefore {
            let planned = min(maxGainDB, preEncodeTargetLUFS - before)
            let chains = try [0.0, 2, 4, 7].map { extra -> (LoudnessNormalizer, LoudnessMeter) in
                (LoudnessNormalizer(sampleRate: encoderRate, gainDB: planned + extra), try LoudnessMeter(sampleRate: encoderRate, truePeak: false))
            }
            _ = try render(source, keep: keep, totalFrames: totalFrames, encoderRate: encoderRate,
                           maxSeconds: options.maxSeconds, progress: { report(1, $0) }) { samples in
                for (normalizer, meter) in chains {
                    try normalizer.process(samples).withUnsafeBufferPointer { try meter.add($0) }
                }
            }
            var trials: [(gainDB: Double, lufs: Double)] = []
            for (normalizer, meter) in chains {
                try normalizer.flush().withUnsafeBufferPointer { try meter.add($0) }
                if let l = meter.integratedLUFS { trials.append((normalizer.gainDB, l)) }
            }
            done += 1
            gainDB = min(maxGainDB, LoudnessNormalizer.gain(for: preEncodeTargetLUFS, trials: trials) ?? planned)
        }

        // Pass 3: encode into memory (5 min at 16 kbps is 600 KB), then decode
        // our own packets and measure them as a phone will play them. Opus
        // overshoots peaks and shifts loudness a little; if the decode misses
        // the ≤ −1 dBTP / −16 LUFS targets, encode again with a corrected gain
        // and ceiling (rarely needed twice).
        var ceiling = EncodeOptions.truePeakCeilingDBTP
        var attempt = 0
        var result: EncodedStream
        while true {
            result = try encodePass(source, keep: keep, totalFrames: totalFrames, encoderRate: encoderRate,
                                    gainDB: options.normalizeLoudness ? gainDB : nil, ceilingDBTP: ceiling,
                                    options: options, progress: { report(2.5, $0) })
            attempt += 1
            guard options.normalizeLoudness, attempt < 4, let peak = result.decodedTruePeakDBTP,
                  let lufs = result.decodedLUFS else { break }
            let peakExcess = peak - decodedPeakLimitDBTP
            let loudnessError = lufs - EncodeOptions.targetLUFS
            if peakExcess <= 0 && abs(loudnessError) <= 0.5 { break }
            if peakExcess > 0 { ceiling -= peakExcess + 0.3 }
            if abs(loudnessError) > 0.5 { gainDB = min(maxGainDB, gainDB - 1.5 * loudnessError) }
        }
        if result.input == 0 { throw AudioEncodeError.noAudio(path: input) }
        if totalFrames == nil { try checkTruncation(source, readFrames: result.input) }
        let keptSeconds = Double(result.kept) / Double(rate)
        if keptSeconds < EncodeOptions.minimumSeconds {
            throw AudioEncodeError.tooShort(path: input, seconds: keptSeconds, minimum: EncodeOptions.minimumSeconds)
        }

        // Mux and commit.
        var tags: [OggOpusTag] = []
        if let t = options.title, !t.isEmpty { tags.append(OggOpusTag(key: "TITLE", value: t)) }
        if let l = options.language, !l.isEmpty { tags.append(OggOpusTag(key: "LANGUAGE", value: l)) }
        let writer = try OggOpusWriter(serial: Int32(bitPattern: UInt32.random(in: 1...UInt32.max)), preSkip: result.preSkip,
                                       inputSampleRate: rate, vendor: OpusEncoder.versionString, tags: tags,
                                       sink: { try file.write($0) })
        let endGranule = Int64(result.preSkip + result.samples48k)
        for (index, packet) in result.packets.enumerated() {
            let isLast = index == result.packets.count - 1
            try writer.add(packet: packet.data, samples48k: packet.samples48k, last: isLast ? endGranule : nil)
        }
        try file.commit()
        progress?(1)

        let samples48k = result.samples48k
        let counts = (input: result.input, kept: result.kept)
        let duration = Double(samples48k) / 48000
        let total = totalFrames ?? counts.input
        let leading = keep.map { Double($0.lowerBound) / Double(rate) } ?? 0
        let trailing = keep.map { Double(total - $0.upperBound) / Double(rate) } ?? 0
        return EncodeReport(
            inputPath: input, outputPath: output, inputFormat: source.formatDescription,
            inputSampleRate: rate, inputChannels: source.channels, inputSeconds: Double(total) / Double(rate),
            keptFrames: counts.kept, trimmedLeadingSeconds: leading, trimmedTrailingSeconds: trailing,
            durationSeconds: duration, decodedSamples48k: samples48k, outputBytes: file.bytesWritten,
            loudnessBeforeLUFS: loudnessBefore ?? (options.normalizeLoudness ? nil : result.encoderInputLUFS),
            loudnessAfterLUFS: result.decodedLUFS, truePeakDBTP: result.decodedTruePeakDBTP,
            gainDB: options.normalizeLoudness ? gainDB : 0, bitrateKbps: options.bitrateKbps,
            averageBitrateKbps: duration > 0 ? Double(file.bytesWritten) * 8 / duration / 1000 : 0,
            encoderSampleRate: encoderRate, preSkip: result.preSkip)
    }

    /// The default output for an input: same folder, ASCII name, `.opus`
    /// (Android picks the MIME type from the extension; `.ogg` is refused by
    /// older phones). Never the input itself.
    public static func defaultOutputPath(forInput input: String) -> String {
        let url = URL(fileURLWithPath: input)
        let folder = url.deletingLastPathComponent().path
        let stem = url.deletingPathExtension().lastPathComponent
        var name = ""
        for scalar in stem.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue     // é → e
            } else if !name.hasSuffix("-") {
                name += "-"
            }
        }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        if name.isEmpty { name = "announcement" }
        var candidate = folder + "/" + name + ".opus"
        if sameFile(input, candidate) { candidate = folder + "/" + name + "-announcement.opus" }
        return candidate
    }

    // MARK: - Passes

    /// The decoded file must stay at or below −1 dBTP; aim a little under.
    static let decodedPeakLimitDBTP = -1.3

    struct EncodedStream {
        var packets: [(data: [UInt8], samples48k: Int)] = []
        var preSkip = 0
        var samples48k = 0
        var input = 0
        var kept = 0
        var encoderInputLUFS: Double?
        var decodedLUFS: Double?
        var decodedTruePeakDBTP: Double?
    }

    /// Renders, normalises and encodes one pass into packets held in memory,
    /// then decodes them to measure loudness and true peak as played.
    static func encodePass(_ source: InputDecoder, keep: Range<Int>?, totalFrames: Int?, encoderRate: Int,
                           gainDB: Double?, ceilingDBTP: Double, options: EncodeOptions,
                           progress: (Int) -> Void) throws -> EncodedStream {
        let encoder = try OpusEncoder(sampleRate: encoderRate, bitrateKbps: options.bitrateKbps)
        let toFortyEight = 48000 / encoderRate
        var stream = EncodedStream()
        stream.preSkip = encoder.lookahead * toFortyEight
        let meterIn = try LoudnessMeter(sampleRate: encoderRate, truePeak: false)
        let frameSize = encoderRate * frameMilliseconds / 1000
        var frame = [Float](); frame.reserveCapacity(frameSize)
        var fed = 0
        func encodeFrame(_ size: Int) throws {
            while frame.count < size { frame.append(0) }
            let packet = try frame.withUnsafeBufferPointer { try encoder.encode($0, frameSize: size) }
            stream.packets.append((packet, size * toFortyEight))
            frame.removeAll(keepingCapacity: true)
        }
        func feed(_ samples: [Float]) throws {
            try samples.withUnsafeBufferPointer { try meterIn.add($0) }
            for x in samples {
                frame.append(x)
                if frame.count == frameSize { try encodeFrame(frameSize) }
            }
            fed += samples.count
        }
        let normalizer = gainDB.map { LoudnessNormalizer(sampleRate: encoderRate, gainDB: $0, ceilingDBTP: ceilingDBTP) }
        let counts = try render(source, keep: keep, totalFrames: totalFrames, encoderRate: encoderRate,
                                maxSeconds: options.maxSeconds, progress: progress) { samples in
            try feed(normalizer?.process(samples) ?? samples)
        }
        if let normalizer { try feed(normalizer.flush()) }
        stream.input = counts.input
        stream.kept = counts.kept
        stream.samples48k = fed * toFortyEight
        stream.encoderInputLUFS = meterIn.integratedLUFS
        guard fed > 0 else { return stream }
        // Feed the lookahead's worth of padding so the decoder can output every
        // sample, ending with the shortest SILK frame (10/20/40 ms) that fits:
        // the end trim is then shorter than the last packet, as RFC 7845 wants.
        var remaining = frame.count + encoder.lookahead
        while remaining > 0 {
            let size = [10, 20, 40].map { encoderRate * $0 / 1000 }.first { $0 >= remaining } ?? frameSize
            remaining -= size
            try encodeFrame(size)
        }
        // Listen to it: decode at 48 kHz, drop pre-skip, stop at the end.
        let decoder = try OpusDecoder()
        let meterOut = try LoudnessMeter(sampleRate: 48000, truePeak: true)
        var position = 0
        let start = stream.preSkip, end = stream.preSkip + stream.samples48k
        for packet in stream.packets {
            let pcm = try decoder.decode(packet.data)
            let lo = max(start, position), hi = min(end, position + pcm.count)
            if lo < hi {
                try pcm[(pcm.startIndex + lo - position)..<(pcm.startIndex + hi - position)].withUnsafeBufferPointer { try meterOut.add($0) }
            }
            position += pcm.count
        }
        stream.decodedLUFS = meterOut.integratedLUFS
        stream.decodedTruePeakDBTP = meterOut.truePeakDBTP
        return stream
    }

    /// Decodes `source` once in blocks, downmixed to mono; `body` gets each
    /// block and its starting frame. Returns the frames read.
    static func readMono(_ source: InputDecoder, maxSeconds: Double,
                         _ body: ([Float], Int) throws -> Void) throws -> Int {
        let reader = try source.open()
        var interleaved: [Float] = []
        var mono: [Float] = []
        var position = 0
        let limit = Int(maxSeconds * Double(source.sampleRate))
        while true {
            let n = try reader.read(into: &interleaved, frames: blockFrames)
            if n == 0 { break }
            if let bad = Downmix.mono(interleaved, frames: n, channels: reader.channels, into: &mono) {
                throw AudioEncodeError.nonFiniteSamples(path: source.inputPath, atSeconds: Double(position + bad) / Double(source.sampleRate))
            }
            if position + n > limit {
                throw AudioEncodeError.tooLong(path: source.inputPath, seconds: Double(max(position + n, source.declaredFrames)) / Double(source.sampleRate), limit: maxSeconds)
            }
            try body(mono, position)
            position += n
        }
        return position
    }

    /// One pass through trim, fades and resampler; `sink` gets blocks at the
    /// encoder rate, exactly ⌈kept · encoderRate / rate⌉ samples in all.
    static func render(_ source: InputDecoder, keep: Range<Int>?, totalFrames: Int?, encoderRate: Int,
                       maxSeconds: Double, progress: (Int) -> Void,
                       sink: ([Float]) throws -> Void) throws -> (input: Int, kept: Int) {
        let rate = source.sampleRate
        let resampler = rate == encoderRate ? nil : try Resampler(from: rate, to: encoderRate)
        let fadeIn = (keep?.lowerBound ?? 0) > 0
        let fadeOut = keep.map { $0.upperBound < (totalFrames ?? Int.max) } ?? false
        var kept = 0
        var emitted = 0              // samples at the encoder rate passed on
        var holdback: [Float] = []   // resampler output kept back until the exact count is known
        let holdbackSize = 256
        func forward(_ block: [Float]) throws {
            emitted += block.count
            if !block.isEmpty { try sink(block) }
        }
        let input = try readMono(source, maxSeconds: maxSeconds) { mono, position in
            progress(position + mono.count)
            var block: [Float]
            if let keep {
                let lo = max(keep.lowerBound, position), hi = min(keep.upperBound, position + mono.count)
                guard lo < hi else { return }
                block = Array(mono[(lo - position)..<(hi - position)])
                EdgeFade.apply(&block, position: lo - keep.lowerBound, keptFrames: keep.count, sampleRate: rate, fadeIn: fadeIn, fadeOut: fadeOut)
            } else {
                block = mono
            }
            kept += block.count
            if let resampler {
                try resampler.process(block, into: &holdback)
                if holdback.count > holdbackSize {
                    try forward(Array(holdback[0..<(holdback.count - holdbackSize)]))
                    holdback.removeFirst(holdback.count - holdbackSize)
                }
            } else {
                try forward(block)
            }
        }
        if let resampler {
            // soxr's total may differ from the exact length by rounding: cut or pad.
            try resampler.flush(into: &holdback)
            let target = Int((Double(kept) * Double(encoderRate) / Double(rate)).rounded(.up))
            let need = max(0, target - emitted)
            if need <= holdback.count { try forward(Array(holdback[0..<need])) }
            else { try forward(holdback + [Float](repeating: 0, count: need - holdback.count)) }
        }
        return (input, kept)
    }

    static func checkTruncation(_ source: InputDecoder, readFrames: Int) throws {
        // libsndfile shortens a truncated WAV/AIFF to the data present and
        // notes it in its log; trust the header count only for PCM containers.
        if readFrames < source.declaredFrames, source.declaredFramesAreExact {
            throw AudioEncodeError.truncated(path: source.inputPath, expectedSeconds: Double(source.declaredFrames) / Double(source.sampleRate),
                                             readSeconds: Double(readFrames) / Double(source.sampleRate))
        }
        if let expected = source.truncationFromLog, expected > readFrames {
            throw AudioEncodeError.truncated(path: source.inputPath, expectedSeconds: Double(expected) / Double(source.sampleRate),
                                             readSeconds: Double(readFrames) / Double(source.sampleRate))
        }
    }

    /// Whether two paths name the same existing file (or the same path).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}
