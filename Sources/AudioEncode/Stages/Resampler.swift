import CSoxr

/// The Resampler stage: one libsoxr handle (high quality, float mono),
/// streaming. Deleted in `deinit`.
final class Resampler {
    private let handle: soxr_t
    let inputRate: Int
    let outputRate: Int
    private var scratch: [Float] = []

    init(from inputRate: Int, to outputRate: Int) throws {
        self.inputRate = inputRate
        self.outputRate = outputRate
        var error: soxr_error_t?
        guard let h = soxr_create(Double(inputRate), Double(outputRate), 1, &error, nil, nil, nil), error == nil else {
            throw AudioEncodeError.resamplerFailed(error.map { String(cString: $0) } ?? "soxr_create failed")
        }
        handle = h
    }

    deinit { soxr_delete(handle) }

    func process(_ input: [Float], into output: inout [Float]) throws {
        try input.withUnsafeBufferPointer { try run($0.baseAddress, $0.count, into: &output) }
    }

    /// Drains what soxr still holds at the end of the input.
    func flush(into output: inout [Float]) throws {
        try run(nil, 0, into: &output)
    }

    private func run(_ input: UnsafePointer<Float>?, _ count: Int, into output: inout [Float]) throws {
        let room = count * outputRate / inputRate + 1024
        if scratch.count < room { scratch = [Float](repeating: 0, count: room) }
        var consumed = 0
        while true {
            var idone = 0, odone = 0
            let error: soxr_error_t? = scratch.withUnsafeMutableBufferPointer { out in
                soxr_process(handle, input.map { UnsafeRawPointer($0 + consumed) }, count - consumed, &idone,
                             UnsafeMutableRawPointer(out.baseAddress), out.count, &odone)
            }
            if let error { throw AudioEncodeError.resamplerFailed(String(cString: error)) }
            output.append(contentsOf: scratch[0..<odone])
            consumed += idone
            if input == nil ? odone == 0 : (consumed >= count && odone < scratch.count) { break }
            if idone == 0 && odone == 0 { break }
        }
    }
}
