import CNettle
import Foundation

/// SHA-256 and HMAC-SHA-256 through Nettle (the toolchain has no CryptoKit on
/// Linux). Used for catalog hashes and for the keyed device memory, which must
/// never hold a phone's address in the clear. Nettle rather than OpenSSL's
/// libcrypto: the same well-kept primitives for about 3 MB less resident
/// memory in the long-running service.
enum Digest {
    static func sha256<D: DataProtocol>(_ data: D) -> [UInt8] {
        var ctx = sha256_ctx()
        nettle_sha256_init(&ctx)
        for region in data.regions {
            region.withUnsafeBytes { buf in
                if let base = buf.baseAddress { nettle_sha256_update(&ctx, buf.count, base.assumingMemoryBound(to: UInt8.self)) }
            }
        }
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_SIZE))
        nettle_sha256_digest(&ctx, out.count, &out)
        return out
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var ctx = hmac_sha256_ctx()
        nettle_hmac_sha256_set_key(&ctx, key.count, key)
        nettle_hmac_sha256_update(&ctx, message.count, message)
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_SIZE))
        nettle_hmac_sha256_digest(&ctx, out.count, &out)
        return out
    }

    /// Cryptographically random bytes (keys for the device memory): the
    /// standard library's system generator reads the kernel's getrandom(2).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
