#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomStore

/// Why a sampler stopped; every stop is a normal end with a reason a person can read.
public enum SamplerStop: Error, Sendable, Equatable, CustomStringConvertible {
    case durationReached
    case countReached
    case targetGone(String)
    case interrupted
    case writeFailed(String)

    public var description: String {
        switch self {
        case .durationReached: "the duration was reached"
        case .countReached: "the sample count was reached"
        case .targetGone(let what): what
        case .interrupted: "interrupted"
        case .writeFailed(let why): "writing failed: \(why)"
        }
    }
}

/// Takes samples on a fixed tick until told to stop: ticks are counted from the start, so a slow
/// sample shortens the next wait instead of shifting every later sample.
public struct SamplingLoop: Sendable {
    public var intervalSeconds: Double
    public var durationSeconds: Double?
    public var maximumSamples: Int?

    public init(intervalSeconds: Double, durationSeconds: Double? = nil, maximumSamples: Int? = nil) {
        self.intervalSeconds = max(0.001, intervalSeconds)
        self.durationSeconds = durationSeconds
        self.maximumSamples = maximumSamples
    }

    /// Runs until a stop; `take` returns a sample or the reason to stop, `write` stores it.
    public func run(
        take: () -> Result<MemorySample, SamplerStop>,
        write: (MemorySample) throws -> Void,
        interrupted: () -> Bool
    ) -> (samples: Int, stop: SamplerStop) {
        let start = Self.monotonicSeconds()
        var samples = 0
        while true {
            if interrupted() { return (samples, .interrupted) }
            switch take() {
            case .success(let sample):
                do {
                    try write(sample)
                } catch {
                    return (samples, .writeFailed("\(error)"))
                }
                samples += 1
            case .failure(let stop):
                return (samples, stop)
            }
            if let maximumSamples, samples >= maximumSamples { return (samples, .countReached) }
            let nextTick = start + Double(samples) * intervalSeconds
            if let durationSeconds, nextTick - start > durationSeconds { return (samples, .durationReached) }
            if !Self.sleep(until: nextTick, checking: interrupted) { return (samples, .interrupted) }
        }
    }

    /// Sleeps in steps so an interrupt is noticed within 0.2 s; false when interrupted.
    private static func sleep(until deadline: Double, checking interrupted: () -> Bool) -> Bool {
        while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 { return true }
            if interrupted() { return false }
            let step = min(remaining, 0.2)
            var request = timespec(tv_sec: Int(step), tv_nsec: Int((step - Double(Int(step))) * 1e9))
            _ = nanosleep(&request, nil)
        }
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Seconds since the epoch, for sample stamps.
    public static func wallSeconds() -> Double {
        WallClock.seconds()
    }
}
