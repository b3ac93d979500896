/// The parts of a DNS message Crumbs reads: the questions, and A/AAAA/CNAME answers (which map
/// a device's addresses back to the names it looked up, and reveal CNAME cloaking).
public struct DNSMessage: Sendable, Equatable {
    public struct Question: Sendable, Equatable {
        public var name: String
        public var type: Int

        public init(name: String, type: Int) {
            self.name = name
            self.type = type
        }
    }

    public struct Answer: Sendable, Equatable {
        public var name: String
        public var type: Int
        /// An address for A and AAAA, the target name for CNAME.
        public var value: String

        public init(name: String, type: Int, value: String) {
            self.name = name
            self.type = type
            self.value = value
        }
    }

    public var id: Int
    public var isResponse: Bool
    public var questions: [Question]
    public var answers: [Answer]

    /// Parses `bytes`; nil for anything that is not a well-formed message (a name pointer loop,
    /// a count larger than the message, a label past the end…).
    public init?(_ bytes: ArraySlice<UInt8>) {
        let message = Array(bytes)
        guard message.count >= 12 else { return nil }
        id = Int(message[0]) << 8 | Int(message[1])
        isResponse = message[2] & 0x80 != 0
        let questionCount = Int(message[4]) << 8 | Int(message[5])
        let answerCount = Int(message[6]) << 8 | Int(message[7])
        // Each question takes at least 5 bytes, each answer 11: a count beyond that is a lie.
        guard questionCount * 5 + answerCount * 11 <= message.count - 12 else { return nil }
        var position = 12
        questions = []
        answers = []
        for _ in 0..<questionCount {
            guard let name = Self.name(message, at: &position), position + 4 <= message.count else { return nil }
            questions.append(Question(name: name, type: Int(message[position]) << 8 | Int(message[position + 1])))
            position += 4
        }
        for _ in 0..<answerCount {
            guard let name = Self.name(message, at: &position), position + 10 <= message.count else { return nil }
            let type = Int(message[position]) << 8 | Int(message[position + 1])
            let length = Int(message[position + 8]) << 8 | Int(message[position + 9])
            position += 10
            guard position + length <= message.count else { return nil }
            switch type {
            case 1 where length == 4:
                answers.append(
                    Answer(
                        name: name, type: 1,
                        value: IPAddress(ipv4: message[position..<(position + 4)]).description))
            case 28 where length == 16:
                answers.append(
                    Answer(
                        name: name, type: 28, value: IPAddress(ipv6: message[position..<(position + 16)]).description))
            case 5:
                var target = position
                guard let value = Self.name(message, at: &target) else { return nil }
                answers.append(Answer(name: name, type: 5, value: value))
            default:
                break
            }
            position += length
        }
    }

    /// A name at `position` (labels, or a pointer to earlier labels), lower-cased, without the
    /// final dot; `position` moves past it. At most 255 bytes and 64 pointer jumps.
    static func name(_ message: [UInt8], at position: inout Int) -> String? {
        var labels: [String] = []
        var cursor = position
        var jumped = false
        var jumps = 0
        var length = 0
        while true {
            guard cursor < message.count else { return nil }
            let byte = Int(message[cursor])
            if byte == 0 {
                if !jumped { position = cursor + 1 }
                break
            }
            if byte & 0xC0 == 0xC0 {
                guard cursor + 1 < message.count, jumps < 64 else { return nil }
                let target = (byte & 0x3F) << 8 | Int(message[cursor + 1])
                if !jumped { position = cursor + 2 }
                jumped = true
                jumps += 1
                cursor = target
                continue
            }
            guard byte & 0xC0 == 0, cursor + 1 + byte <= message.count else { return nil }
            length += byte + 1
            guard length <= 255 else { return nil }
            labels.append(String(decoding: message[(cursor + 1)..<(cursor + 1 + byte)], as: UTF8.self).lowercased())
            cursor += 1 + byte
        }
        return labels.joined(separator: ".")
    }
}
