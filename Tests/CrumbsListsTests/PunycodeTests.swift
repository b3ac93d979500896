import Testing

@testable import CrumbsLists

/// The encoder against RFC 3492 section 7.1 samples and the labels the PSL tests use.
@Suite struct PunycodeTests {
    @Test(arguments: [
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
        ("安室奈美恵-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        ("Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"),
        ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
        ("Hello-Another-Way-それぞれの場所", "Hello-Another-Way--fc4qua05auwb3674vfr0b"),
        ("bücher", "bcher-kva"),
        ("食狮", "85x722f"),
        ("公司", "55qx5d"),
        ("中国", "fiqs8s"),
        ("☃-⌘", "--dqo34k"),
    ])
    func encodesRFCSamples(label: String, expected: String) {
        #expect(Punycode.encode(Array(label.unicodeScalars)) == expected)
    }

    @Test func asciiLabelsStayAsTheyAre() {
        #expect(Punycode.aceLabel("example") == "example")
        #expect(Punycode.aceLabel("食狮") == "xn--85x722f")
    }

    @Test func veryLongInputIsRejectedNotWrapped() {
        // Deltas past 2^31 would wrap in the RFC's 32-bit arithmetic.
        let scalars = Array(repeating: Unicode.Scalar(0x80)!, count: 5_000) + [Unicode.Scalar(0x10FFFF)!]
        #expect(Punycode.encode(scalars) == nil)
    }
}
