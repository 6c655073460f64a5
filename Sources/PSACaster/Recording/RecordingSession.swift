import Foundation

/// Set by SIGINT while recording: Ctrl-C cancels (nothing is added).
nonisolated(unsafe) private var recordingInterrupted: Int32 = 0

/// Captures from ALSA into a WAV file with a live level meter on stderr,
/// until Enter, the time limit, or the end of a finite source.
struct RecordingSession {
    let capture: ALSACapture
    let maxSeconds: Int
    /// Reads Enter from this descriptor (stdin); EOF just stops listening.
    var stopFD: Int32 = 0

    struct Summary { var seconds: Double; var clippedBlocks: Int; var loudestDBFS: Double; var stoppedBy: String }

    func run(into writer: WAVFileWriter) throws -> Summary {
        var meter = LevelMeter()
        let blockFrames = capture.rate / 10
        let maxFrames = maxSeconds * capture.rate
        var listening = true
        var lastClipWarning = -100.0, lastLine = -1
        let terminal = Console.stderrIsTerminal
        recordingInterrupted = 0
        let previous = signal(SIGINT) { _ in recordingInterrupted = 1 }
        defer { signal(SIGINT, previous) }
        Console.note("Recording from \(capture.device): speak now. Press Enter to stop (at most \(CatalogCLI.duration(Double(maxSeconds)))).")
        var stoppedBy = "time limit"
        while writer.frames < maxFrames {
            if recordingInterrupted != 0 {
                if terminal { Console.note("") }
                throw RecordingError.cancelled
            }
            let block = try capture.read(frames: min(blockFrames, maxFrames - writer.frames))
            try writer.append(block)
            let level = meter.measure(block)
            let t = Double(writer.frames) / Double(capture.rate)
            if level.clipped && t - lastClipWarning >= 2 {
                lastClipWarning = t
                if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                Console.note("warning: clipping at \(CatalogCLI.duration(t)): too loud. Move the microphone further away or lower the gain (alsamixer)")
            }
            let line = "  \(CatalogCLI.duration(t))  \(LevelMeter.bar(level.peakDBFS)) \(String(format: "%4.0f", level.peakDBFS)) dBFS"
            if terminal {
                FileHandle.standardError.write(Data("\r\(line)  (Enter stops)\u{1B}[K".utf8))
            } else if Int(t) != lastLine {
                lastLine = Int(t)
                Console.note(line)
            }
            if block.count < blockFrames && writer.frames < maxFrames { stoppedBy = "end of input"; break }
            if listening, let pressed = enterPressed() {
                if pressed { stoppedBy = "Enter"; break }
                listening = false
            }
        }
        if terminal { Console.note("") }
        try writer.finish()
        return Summary(seconds: Double(writer.frames) / Double(capture.rate), clippedBlocks: meter.clippedBlocks,
                       loudestDBFS: meter.loudestDBFS, stoppedBy: stoppedBy)
    }

    /// true: a line was typed; false: stdin is closed (stop listening); nil: nothing yet.
    private func enterPressed() -> Bool? {
        var p = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return nil }
        if p.revents & Int16(POLLNVAL) != 0 { return false }
        var bytes = [UInt8](repeating: 0, count: 256)
        let n = read(stopFD, &bytes, bytes.count)
        if n <= 0 { return false }
        return bytes[0..<n].contains(0x0A) ? true : nil
    }
}
