// libFuzzer entry point for the Ogg Opus reader (Sources/AudioEncode/Reader),
// built standalone by scripts/check.d/fuzz-ogg.sh:
//   swiftc -sanitize=fuzzer,address -parse-as-library Sources/AudioEncode/Reader/*.swift Fuzz/ogg/fuzz-ogg-main.swift
// Any byte string must produce an answer: no trap, no out-of-bounds access,
// and a report that is consistent with itself.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOggOpusReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let info = OggOpusReader.read(bytes)
    precondition(info.isValid == info.faults.isEmpty, "isValid must mean no faults")
    precondition(info.sizeBytes == size, "size must be the input size")
    precondition(info.faults.count <= OggOpusReader.maxFaults + 1, "fault list must stay bounded")
    precondition(info.durationSeconds >= 0 && info.decodedSamples48k >= 0, "no negative durations")
    if info.isValid {
        precondition(info.channels > 0 && info.audioPacketCount > 0, "a valid file has channels and audio")
    }
    return 0
}
