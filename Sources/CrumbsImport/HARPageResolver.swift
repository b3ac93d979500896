import CrumbsModel

/// Names each HAR page by the host its document finally came from, and files every entry of the
/// page under it. A page often begins with a redirect chain (http → https, a bounce through an
/// ad server or a link shortener on another site): the hops are held until the document at the
/// end of the chain arrives, so that all of them go to the page the user actually landed on.
struct HARPageResolver {
    private struct PageState {
        var title: String?
        var page: RequestEvent.RecordedPage?
        /// Redirect hops waiting for the end of their chain, with the host each pointed to.
        var held: [(hop: RequestEvent, target: String?)] = []
    }

    private var pages: [String: PageState] = [:]
    private let siteOfHost: (String) -> String

    init(pages: [HARPage], siteOfHost: @escaping (String) -> String) {
        self.siteOfHost = siteOfHost
        for page in pages { self.pages[page.id] = PageState(title: page.title) }
    }

    /// Appends to `ready` the events ready to be recorded once `event` (of the entry's page
    /// `pageref`) is placed: none while a redirect chain is open, the whole chain when it ends.
    mutating func place(
        _ event: consuming RequestEvent, pageref: String, isDocument: Bool, redirectHost: String?,
        into ready: inout [RequestEvent]
    ) {
        // The common case first, without taking the page's state out of the dictionary.
        if let page = pages[pageref]?.page {
            event.detail?.recordedPage = page
            ready.append(event)
            return
        }
        var state = pages[pageref] ?? PageState()
        defer { pages[pageref] = state }
        let isRedirect = (300..<400).contains(event.status ?? 0)
        if isRedirect, isDocument || state.held.isEmpty {
            state.held.append((event, redirectHost))
            return
        }
        let host: String
        if isDocument {
            host = event.host
        } else {
            // The page's document is not in the recording (the HAR starts mid-page): its title
            // when that is a URL, else the page that made this request, else this request's host.
            host =
                state.title.flatMap(URLHost.host(ofURL:)) ?? event.detail?.sourceHost ?? state.held.first?.hop.host
                ?? event.host
        }
        let page = RequestEvent.RecordedPage(host: host, site: siteOfHost(host))
        state.page = page
        event.detail?.recordedPage = page
        event.detail?.recordedPage?.isDocument = isDocument
        ready += release(&state)
        ready.append(event)
    }

    /// The hops of chains that never reached a document (the recording ends on a redirect):
    /// filed under the page's title when it is a URL, else where the last hop pointed.
    mutating func finish() -> [RequestEvent] {
        var released: [RequestEvent] = []
        for (id, var state) in pages where !state.held.isEmpty {
            let last = state.held[state.held.count - 1]
            let host = state.title.flatMap(URLHost.host(ofURL:)) ?? last.target ?? last.hop.host
            state.page = RequestEvent.RecordedPage(host: host, site: siteOfHost(host))
            released += release(&state)
            pages[id] = state
        }
        return released.sorted { $0.time < $1.time }
    }

    private func release(_ state: inout PageState) -> [RequestEvent] {
        let held = state.held.map { held in
            var hop = held.hop
            hop.detail?.recordedPage = state.page
            return hop
        }
        state.held = []
        return held
    }
}
