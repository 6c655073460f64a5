import CALSA
import Foundation

/// One ALSA capture handle (libasound): opened on a device such as
/// "default" or "plughw:1,0", set to 16-bit mono at `rate`, closed in deinit.
/// ALSA's plug layer converts whatever the microphone delivers.
final class ALSACapture {
    private var pcm: OpaquePointer?
    let device: String
    let rate: Int

    init(device: String, rate: Int = 48_000) throws {
        self.device = device
        self.rate = rate
        var handle: OpaquePointer?
        // libasound prints its own "ALSA lib …" lines for an unknown device;
        // our one-line error says it better, so its stderr is muted here.
        var rc = Self.withStderrMuted { snd_pcm_open(&handle, device, SND_PCM_STREAM_CAPTURE, 0) }
        guard rc >= 0, let handle else { throw RecordingError.openFailed(device: device, reason: Self.message(rc)) }
        pcm = handle
        // 100 ms of latency: the meter updates smoothly and an overrun is unlikely on a busy Pi.
        rc = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(rate), 1, 100_000)
        guard rc >= 0 else { throw RecordingError.configureFailed(device: device, reason: Self.message(rc)) }
        rc = snd_pcm_prepare(handle)
        guard rc >= 0 else { throw RecordingError.configureFailed(device: device, reason: Self.message(rc)) }
    }

    deinit { if let pcm { snd_pcm_close(pcm) } }

    /// Reads exactly `frames` samples (fewer only at the end of a finite
    /// source). An overrun (we were too slow) is recovered from, losing a
    /// moment of sound rather than the recording.
    func read(frames: Int) throws -> [Int16] {
        var buffer = [Int16](repeating: 0, count: frames)
        var filled = 0
        while filled < frames {
            let n = buffer.withUnsafeMutableBufferPointer { buf in
                snd_pcm_readi(pcm, buf.baseAddress! + filled, snd_pcm_uframes_t(frames - filled))
            }
            if n > 0 { filled += Int(n); continue }
            if n == 0 { break }
            let err = Int32(n)
            if err == -EAGAIN || err == -EINTR { continue }
            if snd_pcm_recover(pcm, err, 1) < 0 { throw RecordingError.readFailed(device: device, reason: Self.message(err)) }
        }
        if filled < frames { buffer.removeLast(frames - filled) }
        return buffer
    }

    static func message(_ rc: Int32) -> String { String(cString: snd_strerror(rc)) }

    private static func withStderrMuted<T>(_ body: () -> T) -> T {
        let saved = dup(2)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard saved >= 0, null >= 0 else { return body() }
        dup2(null, 2)
        close(null)
        defer { dup2(saved, 2); close(saved) }
        return body()
    }
}

enum RecordingError: Error, CustomStringConvertible {
    case openFailed(device: String, reason: String)
    case configureFailed(device: String, reason: String)
    case readFailed(device: String, reason: String)
    case silent(device: String)
    case tooShort(seconds: Double)
    case cancelled
    case writeFailed(path: String, reason: String)

    var description: String {
        switch self {
        case .openFailed(let d, let r):
            return "record: cannot open the microphone '\(d)': \(r). Plug in the USB microphone, list devices with 'arecord -l', and pass --device plughw:CARD,DEV"
        case .configureFailed(let d, let r):
            return "record: the microphone '\(d)' refused 16-bit mono: \(r). Use the 'plughw:CARD,DEV' form of the device so ALSA converts"
        case .readFailed(let d, let r):
            return "record: reading from '\(d)' failed: \(r). Check the microphone is still connected and try again"
        case .silent(let d):
            return "record: the recording from '\(d)' is silent; nothing was added. Check the microphone is plugged in and not muted (alsamixer), then record again"
        case .tooShort(let s):
            return "record: only \(String(format: "%.1f", s)) s were recorded; nothing was added. Record again and speak the whole announcement"
        case .cancelled:
            return "record: cancelled; nothing was added"
        case .writeFailed(let p, let r):
            return "record: cannot write the recording to \(p): \(r). Free some disk space and try again"
        }
    }
}
