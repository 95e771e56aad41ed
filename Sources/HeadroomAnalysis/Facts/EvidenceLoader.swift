import Foundation
import HeadroomIngest

/// Reads every input of an `EvidenceInputs` and builds the facts. An input that cannot be read
/// is reported, not fatal: the facts are built from the rest and marked partial. Inside a bundle
/// each part stands alone too, so one damaged file never costs the others.
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
        var loading = Loading(builder: FactsBuilder(context: inputs.context))
        if let version = inputs.bazelVersion { loading.builder.setRelease(version, source: "--bazel-version") }
        if !inputs.bazelrcFiles.isEmpty {
            loading.attempt { builder, problems in
                let chain = try BazelrcReader.read(files: inputs.bazelrcFiles, workspace: inputs.workspace)
                for skipped in chain.skippedFiles { problems.append("\(skipped): not found") }
                builder.addSettings(try BazelMemorySettings(chain: chain, command: inputs.command, configs: inputs.configs), origin: chain.files.map(DisplayPath.relative).joined(separator: ", "))
            }
        }
        if !inputs.gcLogs.isEmpty { loading.addGCLog(paths: inputs.gcLogs, analysisPhase: false, alsoExecution: true) }
        if !inputs.analysisGCLogs.isEmpty { loading.addGCLog(paths: inputs.analysisGCLogs, analysisPhase: true, alsoExecution: false) }
        var serverPIDs: Set<Int> = []
        for folder in inputs.bundles {
            do {
                serverPIDs.formUnion(try loadBundle(folder, into: &loading))
            } catch {
                loading.problems.append("\(error)")
            }
        }
        for path in inputs.samples { loading.attempt { builder, _ in try builder.addSamples(path: path) } }
        for path in inputs.profiles { loading.attempt { builder, _ in builder.addProfile(try TraceProfileReader.read(path: path)) } }
        if !inputs.oomReports.isEmpty { loading.addOOMReports(paths: inputs.oomReports, serverPIDs: serverPIDs) }
        if !loading.problems.isEmpty { loading.builder.markPartial("some inputs could not be read") }
        return (loading.builder.finish(), loading.builder.finishCharts(), loading.problems)
    }

    /// One bundle: its host, record, baseline, identity, logs, samples, profile and kernel log,
    /// each read on its own. Returns the server PIDs it names, for classifying OOM kills given
    /// separately.
    private static func loadBundle(_ folder: String, into loading: inout Loading) throws -> Set<Int> {
        let bundle = try BundleReader.read(folder)
        loading.problems += bundle.problems.filter { !$0.contains("marked incomplete") }
        for unlisted in bundle.unlistedFiles { loading.builder.note("\(unlisted): not in the bundle's manifest; ignored") }
        if !bundle.manifest.complete {
            // The recorder's notes say why (interrupted, timed out, the server died, a full disk).
            let why = bundle.manifest.notes.isEmpty ? "" : " (\(bundle.manifest.notes.joined(separator: "; ")))"
            loading.builder.markPartial("\(folder): the recording did not finish\(why)")
        }
        loading.builder.addHost(bundle.manifest.host, source: "\(folder)/\(BundleReader.manifestName)")
        var serverPIDs: Set<Int> = []
        let others = bundle.paths(of: .other)
        for path in others where path.hasSuffix("/bazel-identity.json") {
            if let identity: BazelIdentity = loading.decode(path) { loading.builder.addIdentity(identity, source: path) }
        }
        let rcFiles = bundle.paths(of: .bazelrc)
        if !rcFiles.isEmpty {
            loading.attempt { builder, _ in
                let chain = try BazelrcReader.read(files: rcFiles, workspace: nil)
                builder.addSettings(try BazelMemorySettings(chain: chain), origin: rcFiles.joined(separator: ", "))
            }
        }
        var record: RecordFacts?
        let recordPath = others.first { $0.hasSuffix("/record.json") }
        if let recordPath {
            record = loading.decode(recordPath)
            if let pid = record?.serverPID { serverPIDs.insert(pid) }
        }
        let gcLogs = bundle.paths(of: .gcLog)
        if !gcLogs.isEmpty {
            let noBuild = record?.requestedCommand.contains("--nobuild") == true
            loading.addGCLog(paths: gcLogs, analysisPhase: noBuild, alsoExecution: true)
        }
        if let record, let recordPath { loading.builder.addRecord(record, source: recordPath) }
        for path in bundle.paths(of: .baseline) {
            if let baseline: BaselineReport = loading.decode(path) { loading.builder.addBaseline(baseline, source: path) }
        }
        for path in bundle.paths(of: .samples) { loading.attempt { builder, _ in try builder.addSamples(path: path) } }
        for path in bundle.paths(of: .traceProfile) { loading.attempt { builder, _ in builder.addProfile(try TraceProfileReader.read(path: path)) } }
        let kernelLogs = bundle.paths(of: .oomReport)
        if !kernelLogs.isEmpty { loading.addOOMReports(paths: kernelLogs, serverPIDs: serverPIDs) }
        return serverPIDs
    }

    /// The facts being built and the problems met so far.
    private struct Loading {
        var builder: FactsBuilder
        var problems: [String] = []

        /// Runs one part of the loading; an error becomes a problem and the rest goes on.
        mutating func attempt(_ body: (inout FactsBuilder, inout [String]) throws -> Void) {
            do { try body(&builder, &problems) } catch { problems.append("\(error)") }
        }

        /// A GC log (or rotated set) as the execution-phase log, the analysis-phase log, or both.
        /// An input that is no GC log is a problem and left out; a GC log without collections
        /// is kept with a note (a command may end before the first collection).
        mutating func addGCLog(paths: [String], analysisPhase: Bool, alsoExecution: Bool) {
            attempt { builder, problems in
                let summary = try GCLogAnalysis.run(paths: paths)
                if let reason = summary.withoutCollections {
                    guard summary.looksLikeAGCLog else {
                        problems.append(reason)
                        return
                    }
                    builder.note(reason)
                }
                if analysisPhase { builder.addAnalysisGCLog(summary) }
                if alsoExecution { builder.addGCLog(summary) }
            }
        }

        /// Kernel logs; one that is empty or no kernel log cannot show whether anything was
        /// killed, and is a problem (and when all are, they add nothing).
        mutating func addOOMReports(paths: [String], serverPIDs: Set<Int>) {
            attempt { builder, problems in
                let report = try OOMReportReading.read(paths: paths, context: OOMClassificationContext(serverPIDs: serverPIDs))
                problems += report.unusableInputs
                if report.unusableInputs.count < paths.count || !report.kills.isEmpty { builder.addOOMReport(report) }
            }
        }

        /// A JSON file of a bundle, or nil with a problem naming the file and what is wrong.
        mutating func decode<T: Decodable>(_ path: String) -> T? {
            do {
                return try JSONDecoder().decode(T.self, from: try SmallFile.read(path, kind: "\(T.self) file"))
            } catch {
                problems.append("\(path): not a valid \(T.self) file (\(BundleReader.describe(error)))")
                return nil
            }
        }
    }
}
