// libFuzzer target: OBEX request parsing, as the push server does it.
// Built with the codec sources only (scripts/check.d/fuzz-obex.sh).
// Input: byte 0 picks the server's announced maximum; the rest is the
// byte stream a client sent.

@_cdecl("LLVMFuzzerTestOneInput")
public func obexRequestFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let maximum = [255, 1024, 0xFC00, 0xFFFF][Int(input[0]) & 3]
    var stream = input[1...]
    while !stream.isEmpty {
        guard let length = try? OBEXFraming.packetLength(stream, maximum: maximum) else { return 0 }
        guard length <= stream.count else { return 0 }
        let packet = stream.prefix(length)
        stream = stream.dropFirst(length)
        guard let request = try? OBEXRequest.decode(packet, maxPacketLength: maximum) else { continue }
        if let c = request.connect { precondition(Int(c.maxPacketLength) >= OBEXLimits.minimumPacketLength) }
        guard let again = try? request.encoded() else { preconditionFailure("decoded request does not re-encode") }
        let twice = try? OBEXRequest.decode(again[...], maxPacketLength: OBEXLimits.maximumPacketLength)
        precondition(twice == request, "request round trip differs")
        // What the server reads from a PUT.
        for h in request.headers {
            _ = h.text.map { $0.unicodeScalars.count }
            _ = h.latin1Text
            _ = h.uint32
            _ = h.description
        }
    }
    return 0
}
