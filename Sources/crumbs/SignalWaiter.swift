import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM (so that pending events are flushed before exit), and reports
/// SIGHUP separately for reloads.
// @unchecked: the sources are only kept alive here, never mutated; DispatchSource is thread-safe.
final class SignalWaiter: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    /// Every signal that arrives, in order.
    let stream: AsyncStream<Int32>

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.sources = signals.map { number in
            // Ignore the default action so the dispatch source sees the signal instead of dying.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// Returns the first signal that arrives.
    func next() async -> Int32 {
        for await number in stream { return number }
        return SIGTERM
    }
}
