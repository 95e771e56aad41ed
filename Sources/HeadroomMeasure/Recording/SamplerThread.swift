import Foundation
import HeadroomStore

/// Runs a `MemorySampler` on its own thread into a sample log, until told to stop.
package final class SamplerThread: @unchecked Sendable {
    private let sampler: MemorySampler
    private let path: String
    private let interval: Double
    private let shouldStop: @Sendable () -> Bool
    private let finished = DispatchSemaphore(value: 0)
    /// Written by the thread before it signals `finished`, read after.
    private var result: (samples: Int, stop: SamplerStop) = (0, .interrupted)

    init(sampler: MemorySampler, path: String, interval: Double, shouldStop: @escaping @Sendable () -> Bool) {
        self.sampler = sampler
        self.path = path
        self.interval = interval
        self.shouldStop = shouldStop
    }

    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            let writer: SampleLogWriter
            do {
                writer = try SampleLogWriter(path: path, overwrite: true)
            } catch {
                result = (0, .writeFailed("\(error)"))
                return
            }
            defer { writer.close() }
            do throws(SamplerStop) {
                try sampler.prepare()
            } catch {
                // Nothing to sample (no server runs: `--batch`, or it died at once): a log that says so.
                result = SamplingLoop(intervalSeconds: interval).recordNothing(sampler, stop: error, into: writer)
                return
            }
            result = SamplingLoop(intervalSeconds: interval).record(sampler, into: writer, interrupted: shouldStop)
        }
        thread.start()
    }

    /// Waits for the thread to end and returns what it sampled.
    func join() -> (samples: Int, stop: SamplerStop) {
        finished.wait()
        return result
    }
}
