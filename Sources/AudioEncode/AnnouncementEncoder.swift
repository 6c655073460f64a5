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
/// blocks. Up to three passes read it: (1) measure loudness and find the
/// sound, (2) measure what the limiter leaves so the gain can be corrected,
/// (3) encode. Passes 1–2 are skipped when trimming/loudness are off.
///
/// Throws `AudioEncodeError` (one-line human message); on any error the
/// output path is left untouched.
public enum AnnouncementEncoder {
    /// Frames read from the decoder per block.
    static let blockFrames = 8192
    /// Opus frame length: 40 ms saved 1–7 % bytes at equal quality.
    static let frameMilliseconds = 40
    /// Quiet recordings are lifted at most this much (more only amplifies hiss).
    static let maxGainDB = 35.0

    public static func encode(input: String, output: String, options: EncodeOptions = EncodeOptions(),
                              progress: ((Double) -> Void)? = nil) throws -> EncodeReport {
        guard EncodeOptions.bitrateRange.contains(options.bitrateKbps) else {
            throw AudioEncodeError.badOption("bitrate \(options.bitrateKbps) kbps is out of range: use \(EncodeOptions.bitrateRange.lowerBound) to \(EncodeOptions.bitrateRange.upperBound) kbps (16 is the tested default).")
        }
        guard options.maxSeconds > 0, options.maxSeconds.isFinite else {
            throw AudioEncodeError.badOption("the duration limit must be a positive number of seconds.")
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

        // Pass 2: what the limiter leaves at the planned gain, to correct it.
        var gainDB = 0.0
        if options.normalizeLoudness, let before = loudnessBefore {
            gainDB = min(maxGainDB, EncodeOptions.targetLUFS - before)
            let meter = try LoudnessMeter(sampleRate: encoderRate, truePeak: false)
            _ = try render(source, keep: keep, totalFrames: totalFrames, encoderRate: encoderRate, gainDB: gainDB,
                           maxSeconds: options.maxSeconds, progress: { report(1, $0) }) { samples in
                try samples.withUnsafeBufferPointer { try meter.add($0) }
            }
            done += 1
            if let limited = meter.integratedLUFS {
                gainDB = min(maxGainDB, gainDB + (EncodeOptions.targetLUFS - limited))
            }
        }

        // Pass 3: encode.
        let encoder = try OpusEncoder(sampleRate: encoderRate, bitrateKbps: options.bitrateKbps)
        let toFortyEight = 48000 / encoderRate
        let preSkip = encoder.lookahead * toFortyEight
        var tags: [OggOpusTag] = []
        if let t = options.title, !t.isEmpty { tags.append(OggOpusTag(key: "TITLE", value: t)) }
        if let l = options.language, !l.isEmpty { tags.append(OggOpusTag(key: "LANGUAGE", value: l)) }
        let writer = try OggOpusWriter(serial: Int32(bitPattern: UInt32.random(in: 1...UInt32.max)), preSkip: preSkip,
                                       inputSampleRate: rate, vendor: OpusEncoder.versionString, tags: tags,
                                       sink: { try file.write($0) })
        let meterAfter = try LoudnessMeter(sampleRate: encoderRate, truePeak: true)
        let frameSize = encoderRate * frameMilliseconds / 1000
        var frame = [Float](); frame.reserveCapacity(frameSize)
        var held: [UInt8]?       // one packet held back: the last one carries EOS
        var heldSamples = 0
        var fed = 0
        func encodeFrame(_ size: Int) throws {
            while frame.count < size { frame.append(0) }
            let packet = try frame.withUnsafeBufferPointer { try encoder.encode($0, frameSize: size) }
            if let h = held { try writer.add(packet: h, samples48k: heldSamples) }
            held = packet
            heldSamples = size * toFortyEight
            frame.removeAll(keepingCapacity: true)
        }
        let counts = try render(source, keep: keep, totalFrames: totalFrames, encoderRate: encoderRate,
                                gainDB: options.normalizeLoudness ? gainDB : nil, maxSeconds: options.maxSeconds,
                                progress: { report(2.5, $0) }) { samples in
            try samples.withUnsafeBufferPointer { try meterAfter.add($0) }
            for x in samples {
                frame.append(x)
                if frame.count == frameSize { try encodeFrame(frameSize) }
            }
            fed += samples.count
        }
        if counts.input == 0 { throw AudioEncodeError.noAudio(path: input) }
        if totalFrames == nil { try checkTruncation(source, readFrames: counts.input) }
        let keptSeconds = Double(counts.kept) / Double(rate)
        if keptSeconds < EncodeOptions.minimumSeconds {
            throw AudioEncodeError.tooShort(path: input, seconds: keptSeconds, minimum: EncodeOptions.minimumSeconds)
        }
        // Feed the lookahead's worth of padding so the decoder can output every
        // sample, ending with the shortest SILK frame (10/20/40 ms) that fits.
        var remaining = frame.count + encoder.lookahead
        while remaining > 0 {
            let sizes = [10, 20, 40].map { encoderRate * $0 / 1000 }
            let size = sizes.first { $0 >= remaining } ?? frameSize
            remaining -= size
            try encodeFrame(size)
        }
        let samples48k = fed * toFortyEight
        let endGranule = Int64(preSkip + samples48k)
        guard let last = held else { throw AudioEncodeError.encoderFailed("no packets were produced") }
        try writer.add(packet: last, samples48k: heldSamples, last: endGranule)
        try file.commit()
        progress?(1)

        let input48k = Int((Double(counts.kept) * 48000 / Double(rate)).rounded(.up))
        precondition(samples48k == input48k || encoderRate == 48000, "length bookkeeping")
        let duration = Double(samples48k) / 48000
        let total = totalFrames ?? counts.input
        let leading = keep.map { Double($0.lowerBound) / Double(rate) } ?? 0
        let trailing = keep.map { Double(total - $0.upperBound) / Double(rate) } ?? 0
        return EncodeReport(
            inputPath: input, outputPath: output, inputFormat: source.formatDescription,
            inputSampleRate: rate, inputChannels: source.channels, inputSeconds: Double(total) / Double(rate),
            keptFrames: counts.kept, trimmedLeadingSeconds: leading, trimmedTrailingSeconds: trailing,
            durationSeconds: duration, decodedSamples48k: samples48k, outputBytes: file.bytesWritten,
            loudnessBeforeLUFS: loudnessBefore ?? (options.normalizeLoudness ? nil : meterAfter.integratedLUFS),
            loudnessAfterLUFS: meterAfter.integratedLUFS, truePeakDBTP: meterAfter.truePeakDBTP,
            gainDB: options.normalizeLoudness ? gainDB : 0, bitrateKbps: options.bitrateKbps,
            averageBitrateKbps: duration > 0 ? Double(file.bytesWritten) * 8 / duration / 1000 : 0,
            encoderSampleRate: encoderRate, preSkip: preSkip)
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

    /// One pass through trim, fades, resampler, gain and limiter; `sink` gets
    /// blocks at the encoder rate, exactly ⌈kept · encoderRate / rate⌉ samples
    /// in all. Gain nil: no gain and no limiter.
    static func render(_ source: InputDecoder, keep: Range<Int>?, totalFrames: Int?, encoderRate: Int, gainDB: Double?,
                       maxSeconds: Double, progress: (Int) -> Void,
                       sink: ([Float]) throws -> Void) throws -> (input: Int, kept: Int) {
        let rate = source.sampleRate
        let resampler = rate == encoderRate ? nil : try Resampler(from: rate, to: encoderRate)
        let limiter = gainDB.map { _ in TruePeakLimiter(sampleRate: encoderRate, ceilingDB: EncodeOptions.truePeakCeilingDBTP) }
        let gain = Float(pow(10, (gainDB ?? 0) / 20))
        let fadeIn = (keep?.lowerBound ?? 0) > 0
        let fadeOut = keep.map { $0.upperBound < (totalFrames ?? Int.max) } ?? false
        var kept = 0
        var emitted = 0              // samples at the encoder rate passed on
        var holdback: [Float] = []   // resampler output kept back until the exact count is known
        let holdbackSize = 256
        var limited: [Float] = []
        func forward<C: Collection>(_ block: C) throws where C.Element == Float {
            var b = Array(block)
            emitted += b.count
            if gain != 1 { for i in b.indices { b[i] *= gain } }
            if let limiter {
                limited.removeAll(keepingCapacity: true)
                limiter.process(b, into: &limited)
                b = limited
            }
            if !b.isEmpty { try sink(b) }
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
                    try forward(holdback[0..<(holdback.count - holdbackSize)])
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
            if need <= holdback.count { try forward(holdback[0..<need]) }
            else { try forward(holdback + [Float](repeating: 0, count: need - holdback.count)) }
        }
        if let limiter {
            limited.removeAll(keepingCapacity: true)
            limiter.flush(into: &limited)
            if !limited.isEmpty { try sink(limited) }
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
