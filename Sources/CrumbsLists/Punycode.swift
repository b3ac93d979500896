/// Punycode (RFC 3492) encoding of one label, as IDNA uses it to turn `食狮` into `xn--85x722f`.
///
/// Foundation has no IDNA support on Linux, and the Public Suffix List mixes Unicode and ACE
/// rules, so both the rules and the hosts are brought to ACE with this small encoder. Only the
/// encoder is needed: ACE input is already in the form the rules are stored in.
enum Punycode {
    // Parameters from RFC 3492 section 5.
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 128
    /// RFC 3492 section 6.4 works with 32-bit integers; past this an input is rejected, not wrapped.
    private static let maxInt = Int(Int32.max)

    /// The ACE form of a label: itself when it is all ASCII, else `xn--` and its Punycode.
    /// The label must already be lower-cased and NFC-normalised; nil when it cannot be encoded.
    static func aceLabel<S: StringProtocol>(_ label: S) -> String? {
        if label.utf8.allSatisfy({ $0 < 0x80 }) { return String(label) }
        guard let encoded = encode(Array(label.unicodeScalars)) else { return nil }
        return "xn--" + encoded
    }

    /// The Punycode string for `input` (without the `xn--` prefix); nil on overflow.
    static func encode(_ input: [Unicode.Scalar]) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2 + 1)
        for scalar in input where scalar.value < 0x80 {
            output.append(UInt8(scalar.value))
        }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }

        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            // The smallest code point not yet handled; the decoder inserts them in this order.
            var next = Int.max
            for scalar in input where Int(scalar.value) >= n && Int(scalar.value) < next {
                next = Int(scalar.value)
            }
            guard (next - n) <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += (next - n) * (handled + 1)
            n = next
            for scalar in input {
                let code = Int(scalar.value)
                if code < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                guard code == n else { continue }
                // Write delta as a generalized variable-length integer.
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta: delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Bias adaptation, RFC 3492 section 6.1.
    private static func adapt(delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0–25 are `a`–`z`, 26–35 are `0`–`9`.
    private static func digit(_ value: Int) -> UInt8 {
        value < 26 ? UInt8(value) + UInt8(ascii: "a") : UInt8(value - 26) + UInt8(ascii: "0")
    }
}
