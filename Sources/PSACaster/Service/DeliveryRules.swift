/// When a phone may be offered the campaign again. Defaults follow the
/// issue: delivered → not again for the campaign window; declined → not
/// again until the key rotates; failed → at most 2 retries with backoff;
/// cannot receive → skipped until the key rotates.
struct DeliveryRules: Equatable {
    var campaignWindowSeconds: Double = 24 * 3600
    /// nil: a decline is remembered until the next key rotation.
    var declinedForgetSeconds: Double? = nil
    var maxRetries: Int = 2
    /// Backoff before retry n (1-based) is base × 2^(n-1).
    var retryBackoffSeconds: Double = 60
    var keyRotationSeconds: Double = 24 * 3600
    /// Bounds the memory a flood of (possibly forged) addresses can take.
    var maxRememberedDevices: Int = 50_000
}
