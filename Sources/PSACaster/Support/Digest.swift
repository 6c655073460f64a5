import CCrypto
import Foundation

/// SHA-256 and HMAC-SHA-256 through OpenSSL's libcrypto (the toolchain has no
/// CryptoKit on Linux). Used for catalog hashes and for the keyed device
/// memory, which must never hold a phone's address in the clear.
enum Digest {
    static func sha256<D: DataProtocol>(_ data: D) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(data)
        bytes.withUnsafeBytes { buf in
            var len: UInt32 = 0
            _ = EVP_Digest(buf.baseAddress, buf.count, &out, &len, EVP_sha256(), nil)
        }
        return out
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &len)
            }
        }
        return out
    }

    /// Cryptographically random bytes (keys for the device memory).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&out, Int32(count)) == 1, "libcrypto RAND_bytes failed")
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
