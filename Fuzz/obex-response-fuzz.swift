// libFuzzer target: OBEX response parsing, as the push client does it.
// Built with the codec sources only (scripts/check.d/fuzz-obex.sh):
//   swiftc -parse-as-library -sanitize=fuzzer,address Sources/OBEXPush/Codec/*.swift Fuzz/obex-response-fuzz.swift
// Input: byte 0 picks the request being answered and the negotiated
// maximum; the rest is the byte stream the peer sent.

@_cdecl("LLVMFuzzerTestOneInput")
public func obexResponseFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let selector = input[0]
    let answering: OBEXOpcode = selector & 1 == 0 ? .connect : (selector & 2 == 0 ? .put : .putFinal)
    let maximum = [255, 512, 0xFC00, 0xFFFF][Int(selector >> 2) & 3]
    var stream = input[1...]
    // Frame packets out of the stream the way PacketChannel does.
    while !stream.isEmpty {
        guard let length = try? OBEXFraming.packetLength(stream, maximum: maximum) else { return 0 }
        guard length <= stream.count else { return 0 }
        let packet = stream.prefix(length)
        stream = stream.dropFirst(length)
        precondition(packet.count >= 3 && packet.count <= maximum)
        guard let response = try? OBEXResponse.decode(packet, answering: answering, maxPacketLength: maximum) else { continue }
        // What decodes must re-encode, and decode again to the same value.
        guard let again = try? response.encoded() else { preconditionFailure("decoded response does not re-encode") }
        let twice = try? OBEXResponse.decode(again[...], answering: answering, maxPacketLength: OBEXLimits.maximumPacketLength)
        precondition(twice == response, "response round trip differs")
        for h in response.headers { _ = h.description; _ = h.latin1Text }
        _ = response.code.description
    }
    return 0
}
