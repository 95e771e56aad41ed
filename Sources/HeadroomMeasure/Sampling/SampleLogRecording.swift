import HeadroomStore

extension SamplingLoop {
    /// Samples `sampler` into a sample log: the header, one record per sample, and the end record
    /// with the reason sampling stopped. `observe` sees each sample before it is written.
    public func record(
        _ sampler: MemorySampler, into writer: SampleLogWriter, interrupted: () -> Bool,
        observe: (MemorySample) -> Void = { _ in }
    ) -> (samples: Int, stop: SamplerStop) {
        do {
            try writer.writeHeader(SampleLogHeader(target: sampler.targetDescription, interval: intervalSeconds))
        } catch {
            return (0, .writeFailed("\(error)"))
        }
        let result = run(
            take: { sampler.take() },
            write: { sample in
                observe(sample)
                try writer.write(sample)
            },
            interrupted: interrupted)
        do {
            try writer.writeEnd(SampleLogEnd(reason: "\(result.stop); \(result.samples) samples", time: SamplingLoop.wallSeconds()))
        } catch {
            // The samples written so far stay; the first failure is the one to report.
            if case .writeFailed = result.stop { return result }
            return (result.samples, .writeFailed("\(error)"))
        }
        return result
    }

    /// A sample log without samples: the header and the end record with the reason there are none.
    public func recordNothing(_ sampler: MemorySampler, stop: SamplerStop, into writer: SampleLogWriter) -> (samples: Int, stop: SamplerStop) {
        do {
            try writer.writeHeader(SampleLogHeader(target: sampler.targetDescription, interval: intervalSeconds))
            try writer.writeEnd(SampleLogEnd(reason: "\(stop); 0 samples", time: SamplingLoop.wallSeconds()))
            return (0, stop)
        } catch {
            return (0, .writeFailed("\(error)"))
        }
    }
}
