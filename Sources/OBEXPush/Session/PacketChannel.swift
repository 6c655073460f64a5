/// Reads whole OBEX packets from a transport and writes encoded ones. The
/// 3-byte prefix is read first and its length checked against the maximum
/// before the rest is awaited, so a peer can neither make us buffer more
/// than one packet nor wait for bytes that may never come past a deadline.
/// Waiting is done in short slices so a cancellation is noticed promptly.
final class PacketChannel {
    enum Failure: Error, Equatable {
        case timedOut
        case closed                         // peer hung up (or link dropped)
        case cancelled
        case malformed(OBEXCodecError)
        case system(String)
    }

    let transport: Transport
    /// How often a wait checks `shouldStop`.
    static let sliceSeconds = 0.25

    init(transport: Transport) { self.transport = transport }

    /// One whole packet (prefix included), at most `maximum` bytes.
    func readPacket(maximum: Int, deadline: Deadline, shouldStop: () -> Bool) throws -> [UInt8] {
        var packet: [UInt8] = []
        var expected = 3
        while packet.count < expected {
            if shouldStop() { throw Failure.cancelled }
            let slice = min(deadline, Deadline.after(seconds: Self.sliceSeconds))
            let chunk: [UInt8]
            do {
                chunk = try transport.read(maxBytes: expected - packet.count, deadline: slice)
            } catch TransportError.timedOut {
                if deadline.hasPassed { throw Failure.timedOut }
                continue
            } catch TransportError.closed {
                throw shouldStop() ? Failure.cancelled : Failure.closed
            } catch {
                throw Failure.system(String(describing: error))
            }
            if chunk.isEmpty { throw Failure.closed }
            packet.append(contentsOf: chunk)
            if expected == 3 && packet.count >= 3 {
                do {
                    expected = try OBEXFraming.packetLength(packet[...], maximum: maximum) ?? 3
                } catch let e as OBEXCodecError {
                    throw Failure.malformed(e)
                }
                if packet.count == expected { break }
                packet.reserveCapacity(expected)
            }
        }
        return packet
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        do {
            try transport.write(bytes, deadline: deadline)
        } catch TransportError.timedOut {
            throw Failure.timedOut
        } catch TransportError.closed {
            throw Failure.closed
        } catch {
            throw Failure.system(String(describing: error))
        }
    }
}
