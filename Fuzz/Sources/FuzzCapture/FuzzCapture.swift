import CrumbsImport
import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation

/// Capture input, as anyone may hand Crumbs a file or put packets on a wire. First byte even: the
/// rest is a pcap/pcapng file, read to its end or its error. Odd: the rest is a run of frames
/// (2-byte length, then the frame) of the link type in the second byte, fed to one engine as
/// consecutive packets, so that TCP reassembly, fragments, QUIC and DNS keep state across them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var engine = CaptureEngine(builder: builder)
    var events: [RequestEvent] = []
    if data[0] & 1 == 0 {
        guard var reader = try? CaptureFileReader(MemoryByteSource(bytes), name: "fuzz") else { return 0 }
        while let packet = try? reader.next() { engine.process(packet, into: &events) }
    } else {
        let linkType = [0, 1, 12, 101, 113, 276][Int(bytes[0]) % 6]
        var position = 1
        var number = 0
        while position + 2 <= bytes.count {
            let length = min(Int(bytes[position]) << 8 | Int(bytes[position + 1]), bytes.count - position - 2)
            let frame = Array(bytes[(position + 2)..<(position + 2 + length)])
            position += 2 + length
            number += 1
            engine.process(
                CapturedPacket(
                    number: number, offset: Int64(position), time: Date(timeIntervalSince1970: Double(number)),
                    linkType: linkType, bytes: frame, originalLength: length), into: &events)
        }
    }
    engine.finish(into: &events)
    precondition(engine.summary.events == events.count)
    return 0
}

let builder = EventBuilder(
    siteResolver: PublicSuffixList.builtIn, keepQuery: false, hasher: CookieHasher(secret: Data(count: 32)))
