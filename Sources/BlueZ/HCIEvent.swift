/// The HCI events discovery listens for, decoded from the bytes a raw HCI
/// socket delivers (packet type 0x04, event code, length, parameters).
/// Pure values, so the parsing is tested with bytes on the wire.
enum HCIEvent: Equatable {
    case inquiryComplete(status: UInt8)
    case inquiryResults([DiscoveredDevice])
    case commandStatus(status: UInt8, opcode: UInt16)
    case commandComplete(opcode: UInt16, parameters: [UInt8])
    case remoteNameComplete(status: UInt8, address: BluetoothAddress, name: String?)
    case other(code: UInt8)

    static let codes: [UInt8] = [0x01, 0x02, 0x07, 0x0E, 0x0F, 0x22, 0x2F]

    /// nil for anything that is not a complete, well-formed event packet.
    init?(packet: [UInt8]) {
        guard packet.count >= 3, packet[0] == 0x04 else { return nil }
        let code = packet[1]
        let length = Int(packet[2])
        guard packet.count >= 3 + length else { return nil }
        let p = packet[3..<(3 + length)]
        let s = p.startIndex
        switch code {
        case 0x01:
            guard p.count >= 1 else { return nil }
            self = .inquiryComplete(status: p[s])
        case 0x02:      // Inquiry Result: addr, pscan rep, 2 reserved, class, clock offset
            self = .inquiryResults(Self.results(p, stride: 14) { r in
                DiscoveredDevice(address: BluetoothAddress(littleEndian: r[r.startIndex..<(r.startIndex + 6)]),
                                 classOfDevice: ClassOfDevice(littleEndian: r[(r.startIndex + 9)..<(r.startIndex + 12)]))
            })
        case 0x22:      // Inquiry Result with RSSI: addr, pscan rep, reserved, class, clock offset, rssi
            guard p.count >= 1 else { return nil }
            let n = Int(p[s])
            // some controllers send a 15-byte variant with the pscan mode byte kept
            let stride = n > 0 && (p.count - 1) / n == 15 ? 15 : 14
            self = .inquiryResults(Self.results(p, stride: stride) { r in
                let b = r.startIndex, shift = stride - 14
                return DiscoveredDevice(address: BluetoothAddress(littleEndian: r[b..<(b + 6)]),
                                        rssi: Int(Int8(bitPattern: r[b + 13 + shift])),
                                        classOfDevice: ClassOfDevice(littleEndian: r[(b + 8 + shift)..<(b + 11 + shift)]))
            })
        case 0x2F:      // Extended Inquiry Result: one device, then 240 bytes of EIR
            guard p.count >= 15 else { return nil }
            let b = s + 1
            let eir = ExtendedInquiryResponse(bytes: p[(b + 14)...])
            self = .inquiryResults([DiscoveredDevice(
                address: BluetoothAddress(littleEndian: p[b..<(b + 6)]),
                rssi: Int(Int8(bitPattern: p[b + 13])),
                classOfDevice: ClassOfDevice(littleEndian: p[(b + 8)..<(b + 11)]),
                name: eir.name, serviceUUIDs16: eir.serviceUUIDs16)])
        case 0x07:
            guard p.count >= 7 else { return nil }
            let name = ExtendedInquiryResponse.text(p[(s + 7)...])
            self = .remoteNameComplete(status: p[s], address: BluetoothAddress(littleEndian: p[(s + 1)..<(s + 7)]),
                                       name: p[s] == 0 ? name : nil)
        case 0x0E:
            guard p.count >= 3 else { return nil }
            self = .commandComplete(opcode: UInt16(p[s + 1]) | UInt16(p[s + 2]) << 8, parameters: Array(p[(s + 3)...]))
        case 0x0F:
            guard p.count >= 4 else { return nil }
            self = .commandStatus(status: p[s], opcode: UInt16(p[s + 2]) | UInt16(p[s + 3]) << 8)
        default:
            self = .other(code: code)
        }
    }

    private static func results(_ p: ArraySlice<UInt8>, stride: Int,
                                _ make: (ArraySlice<UInt8>) -> DiscoveredDevice) -> [DiscoveredDevice] {
        guard let n = p.first.map(Int.init) else { return [] }
        var out: [DiscoveredDevice] = []
        var i = p.startIndex + 1
        for _ in 0..<n {
            guard i + stride <= p.endIndex else { break }
            out.append(make(p[i..<(i + stride)]))
            i += stride
        }
        return out
    }
}

/// HCI commands discovery sends (packet type 0x01, opcode, length, parameters).
enum HCICommand {
    static let inquiryOpcode: UInt16 = 0x0401
    static let inquiryCancelOpcode: UInt16 = 0x0402
    static let remoteNameRequestOpcode: UInt16 = 0x0419

    static func packet(_ opcode: UInt16, _ parameters: [UInt8]) -> [UInt8] {
        [0x01, UInt8(opcode & 0xFF), UInt8(opcode >> 8), UInt8(parameters.count)] + parameters
    }

    /// General inquiry (GIAC 0x9E8B33) for `length` × 1.28 s, unlimited responses.
    static func inquiry(length: UInt8) -> [UInt8] {
        packet(inquiryOpcode, [0x33, 0x8B, 0x9E, length, 0x00])
    }

    static func inquiryCancel() -> [UInt8] { packet(inquiryCancelOpcode, []) }

    static func remoteNameRequest(_ address: BluetoothAddress) -> [UInt8] {
        // page scan repetition mode R2 and no clock offset: works without the
        // details an inquiry gave, at the cost of a slightly longer page
        packet(remoteNameRequestOpcode, Array(address.bytes.reversed()) + [0x02, 0x00, 0x00, 0x00])
    }
}
