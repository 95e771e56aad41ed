extension SamplingLoop {
    /// Samples `sampler` into a sample log: the header, one record per sample, and the end record
    /// with the reason sampling stopped. `observe` sees each sample before it is written.
    public func record(
        _ sampler: MemorySampler, into writer: SampleLogWriter, interrupted: () -> Bool,
        observe: (MemorySample) -> Void = { _ in }
    ) -> (samples: Int, stop: SamplerStop) {
        do {
            try writer.writeHeader(SampleLogHeader(target: sampler.targetDescription, interval: intervalSeconds))
            let result = run(
                take: { sampler.take() },
                write: { sample in
                    observe(sample)
                    try writer.write(sample)
                },
                interrupted: interrupted)
            try writer.writeEnd(SampleLogEnd(reason: "\(result.stop); \(result.samples) samples", time: SamplingLoop.wallSeconds()))
            return result
        } catch {
            return (0, .writeFailed("\(error)"))
        }
    }
}
