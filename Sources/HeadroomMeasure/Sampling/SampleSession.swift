import Foundation
import HeadroomStore

/// `headroom sample` as a whole: a sampler's series written to a sample log, or into a bundle
/// whose manifest is stamped and which is placed when sampling stops; with the peaks seen.
public final class SampleSession {
    /// Where the samples go.
    public enum Destination: Sendable, Equatable {
        /// A JSON-lines sample log; `-` is standard output.
        case log(path: String, overwrite: Bool)
        /// A bundle folder (`samples.jsonl` and a manifest), placed by rename when done.
        case bundle(folder: String, replace: Bool)
    }

    /// How a session ended.
    public struct Outcome: Sendable {
        public var samples: Int
        public var stop: SamplerStop
        /// The largest process-tree RSS and cgroup usage seen; 0 when never measured.
        public var peakTreeRSS: Int64
        public var peakCgroupUsage: Int64
        /// Where the bundle went; nil for a sample log.
        public var placement: BundleWriter.Placement?
        /// Why the bundle could not be placed; nil when it was (or there is none).
        public var placementFailure: String?
        /// The stop, said with the bundle's destination when writing failed.
        public var stopDescription: String

        /// Whether samples were lost: writing failed, or the bundle could not be placed.
        public var lostData: Bool {
            if case .writeFailed = stop { return true }
            return placementFailure != nil
        }
    }

    public let sampler: MemorySampler
    private let bundle: BundleWriter?
    private let writer: SampleLogWriter

    /// Opens the destination; throws when the log or the bundle folder cannot be created.
    public init(sampler: MemorySampler, destination: Destination) throws {
        self.sampler = sampler
        switch destination {
        case .bundle(let folder, let replace):
            let created = try BundleWriter(folder: folder, replace: replace)
            bundle = created
            writer = try SampleLogWriter(path: created.path(of: "samples.jsonl"), overwrite: true)
            created.add("samples.jsonl", kind: .samples, description: sampler.targetDescription)
        case .log(let path, let overwrite):
            bundle = nil
            writer = try SampleLogWriter(path: path, overwrite: overwrite)
        }
    }

    /// Samples on `loop`'s tick until a stop, then closes the log and places the bundle.
    public func run(_ loop: SamplingLoop, interrupted: () -> Bool) -> Outcome {
        let startedAt = WallClock.seconds()
        var peakRSS: Int64 = 0
        var peakCgroup: Int64 = 0
        let result = loop.record(sampler, into: writer, interrupted: interrupted) { sample in
            peakRSS = max(peakRSS, sample.processes?.rssBytes ?? 0)
            peakCgroup = max(peakCgroup, sample.cgroup?.usageBytes ?? 0)
        }
        writer.close()
        var outcome = Outcome(
            samples: result.samples, stop: result.stop, peakTreeRSS: peakRSS, peakCgroupUsage: peakCgroup, placement: nil, placementFailure: nil,
            stopDescription: bundle?.describingDestination("\(result.stop)") ?? "\(result.stop)")
        if let bundle {
            bundle.update { manifest in
                manifest.startedAt = ISOTime.format(epochSeconds: startedAt)
                manifest.endedAt = ISOTime.now()
                manifest.notes = sampler.notes + ["sampling stopped: \(result.stop)"]
            }
            let complete: Bool = if case .writeFailed = result.stop { false } else { true }
            do {
                outcome.placement = try bundle.close(complete: complete)
            } catch {
                outcome.placementFailure = "\(error)"
            }
        }
        return outcome
    }
}
