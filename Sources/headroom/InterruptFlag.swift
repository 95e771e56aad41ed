import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag long-running commands poll, so they can stop
/// cleanly and still write what they have.
///
/// `@unchecked Sendable`: `sources` is written once, by `install`, before any signal can arrive;
/// the flag itself is atomic.
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    private var sources: [DispatchSourceSignal] = []

    /// Starts catching the signals; until then they end the process as usual. A signal already
    /// waiting, blocked by whoever started the process, counts as raised, and the two are
    /// unblocked so that later ones arrive.
    func install() {
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 {
            raised.store(true, ordering: .relaxed)
        }
        var caught = sigset_t()
        sigemptyset(&caught)
        for signalNumber in [SIGINT, SIGTERM] {
            sigaddset(&caught, signalNumber)
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in raised.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
        pthread_sigmask(SIG_UNBLOCK, &caught, nil)
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
