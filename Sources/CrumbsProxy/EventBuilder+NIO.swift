import CrumbsIngest
import CrumbsModel
import Foundation
import NIOHTTP1

// The proxy's side of the ingest pipeline: NIO's heads in, `EventBuilder` calls out. NIO's
// `HTTPHeaders` is already a sequence of (name, value) pairs, so nothing is copied.
extension EventBuilder {
    func requestEvent(
        head: HTTPRequestHead, kind: RequestEvent.Kind, scheme: String, target: HostAndPort, pathAndQuery: String?,
        intercepted: Bool, client: String, time: Date
    ) -> RequestEvent {
        request(
            method: head.method.rawValue, scheme: scheme, host: target.host, port: target.port, target: pathAndQuery,
            headers: head.headers, kind: kind, source: intercepted ? .intercepted : .proxy, client: client, time: time)
    }

    func tunnelEvent(target: HostAndPort, client: String, time: Date) -> RequestEvent {
        tunnel(host: target.host, port: target.port, client: client, time: time)
    }

    func addResponse(_ head: HTTPResponseHead, to event: inout RequestEvent, time: Date) {
        addResponse(status: Int(head.status.code), headers: head.headers, to: &event, time: time)
    }
}
