import Foundation

/// Reads every input of an `EvidenceInputs` and builds the facts. An input that cannot be read
/// is reported, not fatal: the facts are built from the rest and marked partial.
public enum EvidenceLoader {
    /// The facts, and the inputs that could not be read (each message names the file).
    public static func load(_ inputs: EvidenceInputs) -> (facts: Facts, problems: [String]) {
        let loaded = loadWithCharts(inputs)
        return (loaded.facts, loaded.problems)
    }

    /// The facts, the evidence over time for charts, and the inputs that could not be read.
    public static func loadWithCharts(_ inputs: EvidenceInputs) -> (facts: Facts, charts: ChartData, problems: [String]) {
        var inputs = inputs
        for keyPath: WritableKeyPath<EvidenceInputs, [String]> in [\.bundles, \.gcLogs, \.analysisGCLogs, \.samples, \.oomReports, \.profiles, \.bazelrcFiles] {
            inputs[keyPath: keyPath] = inputs[keyPath: keyPath].map(DisplayPath.relative)
        }
        var builder = FactsBuilder(context: inputs.context)
        var problems: [String] = []
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch { problems.append("\(error)") }
        }
        if let version = inputs.bazelVersion { builder.setRelease(version, source: "--bazel-version") }
        if !inputs.bazelrcFiles.isEmpty {
            attempt {
                let chain = try BazelrcReader.read(files: inputs.bazelrcFiles, workspace: inputs.workspace)
                for skipped in chain.skippedFiles { problems.append("\(skipped): not found") }
                builder.addSettings(try BazelMemorySettings(chain: chain, command: inputs.command, configs: inputs.configs), origin: chain.files.map(DisplayPath.relative).joined(separator: ", "))
            }
        }
        if !inputs.gcLogs.isEmpty { attempt { builder.addGCLog(try GCLogAnalysis.run(paths: inputs.gcLogs)) } }
        if !inputs.analysisGCLogs.isEmpty { attempt { builder.addAnalysisGCLog(try GCLogAnalysis.run(paths: inputs.analysisGCLogs)) } }
        var serverPIDs: Set<Int> = []
        for folder in inputs.bundles {
            attempt { serverPIDs.formUnion(try loadBundle(folder, into: &builder, problems: &problems)) }
        }
        for path in inputs.samples { attempt { try builder.addSamples(path: path) } }
        for path in inputs.profiles { attempt { builder.addProfile(try TraceProfileReader.read(path: path)) } }
        if !inputs.oomReports.isEmpty {
            attempt { builder.addOOMReport(try OOMReportReading.read(paths: inputs.oomReports, context: OOMClassificationContext(serverPIDs: serverPIDs))) }
        }
        if !problems.isEmpty { builder.markPartial("some inputs could not be read") }
        return (builder.finish(), builder.finishCharts(), problems)
    }

    /// One bundle: its host, record, baseline, identity, logs, samples, profile and kernel log.
    /// Returns the server PIDs it names, for classifying OOM kills given separately.
    private static func loadBundle(_ folder: String, into builder: inout FactsBuilder, problems: inout [String]) throws -> Set<Int> {
        let bundle = try BundleReader.read(folder)
        problems += bundle.problems.filter { !$0.contains("marked incomplete") }
        if !bundle.manifest.complete {
            // The recorder's notes say why (interrupted, timed out, the server died, a full disk).
            let why = bundle.manifest.notes.isEmpty ? "" : " (\(bundle.manifest.notes.joined(separator: "; ")))"
            builder.markPartial("\(folder): the recording did not finish\(why)")
        }
        builder.addHost(bundle.manifest.host, source: "\(folder)/\(BundleReader.manifestName)")
        var serverPIDs: Set<Int> = []
        let others = bundle.paths(of: .other)
        for path in others where path.hasSuffix("/bazel-identity.json") {
            if let identity: BazelIdentity = decode(path, problems: &problems) { builder.addIdentity(identity, source: path) }
        }
        let rcFiles = bundle.paths(of: .bazelrc)
        if !rcFiles.isEmpty {
            let chain = try BazelrcReader.read(files: rcFiles, workspace: nil)
            builder.addSettings(try BazelMemorySettings(chain: chain), origin: rcFiles.joined(separator: ", "))
        }
        let gcLogs = bundle.paths(of: .gcLog)
        var record: RecordFacts?
        for path in others where path.hasSuffix("/record.json") {
            record = decode(path, problems: &problems)
            if let pid = record?.serverPID { serverPIDs.insert(pid) }
        }
        if !gcLogs.isEmpty {
            let summary = try GCLogAnalysis.run(paths: gcLogs)
            if record?.requestedCommand.contains("--nobuild") == true { builder.addAnalysisGCLog(summary) }
            builder.addGCLog(summary)
        }
        if let record, let path = others.first(where: { $0.hasSuffix("/record.json") }) { builder.addRecord(record, source: path) }
        for path in bundle.paths(of: .baseline) {
            if let baseline: BaselineReport = decode(path, problems: &problems) { builder.addBaseline(baseline, source: path) }
        }
        for path in bundle.paths(of: .samples) { try builder.addSamples(path: path) }
        for path in bundle.paths(of: .traceProfile) { builder.addProfile(try TraceProfileReader.read(path: path)) }
        let kernelLogs = bundle.paths(of: .oomReport)
        if !kernelLogs.isEmpty {
            builder.addOOMReport(try OOMReportReading.read(paths: kernelLogs, context: OOMClassificationContext(serverPIDs: serverPIDs)))
        }
        return serverPIDs
    }

    private static func decode<T: Decodable>(_ path: String, problems: inout [String]) -> T? {
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append("\(path): cannot be read")
            return nil
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            problems.append("\(path): not valid \(T.self) JSON (\(error.localizedDescription))")
            return nil
        }
    }
}
