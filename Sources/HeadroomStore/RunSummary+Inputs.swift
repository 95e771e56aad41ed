import Foundation
import HeadroomRender

extension RunSummary {
    /// The summary `analyze --emit summary` prints for `inputs`: timed by the newest bundle's
    /// end (else start), else the newest input file's modification time.
    public static func make(_ report: AnalysisReport, inputs: EvidenceInputs, now: Double = Date().timeIntervalSince1970) -> RunSummary {
        let stamp = time(of: inputs) ?? (now, "now")
        let labels = MetricLabels.from(inputs)
        var workspace = labels.workspace
        if inputs.workspace == nil, workspace == "bundle", let folder = inputs.bundles.first {
            // `CASE/bundle`: the case's folder says more than the word "bundle".
            workspace = URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent().lastPathComponent
        }
        let files = inputs.bundles + inputs.gcLogs + inputs.samples + inputs.profiles + inputs.analysisGCLogs + inputs.oomReports
        return RunSummary(
            report: report, time: stamp.seconds, timeSource: stamp.source, source: files.first.map(DisplayPath.relative) ?? "unknown",
            workspace: workspace, host: labels.host)
    }

    /// When the run of `inputs` happened: the newest bundle `endedAt`/`startedAt`, else the
    /// newest modification time of the files given. Nil when nothing tells.
    public static func time(of inputs: EvidenceInputs) -> (seconds: Double, source: String)? {
        var best: (seconds: Double, source: String)?
        func consider(_ seconds: Double?, _ source: String) {
            guard let seconds, seconds > (best?.seconds ?? -.infinity) else { return }
            best = (seconds, source)
        }
        for folder in inputs.bundles {
            guard let manifest = try? BundleReader.read(folder).manifest else { continue }
            if let ended = manifest.endedAt.flatMap(ISOTime.parse) {
                consider(ended, "endedAt")
            } else {
                consider(manifest.startedAt.flatMap(ISOTime.parse), "startedAt")
            }
        }
        if best != nil { return best }
        for path in inputs.bundles + inputs.gcLogs + inputs.samples + inputs.profiles + inputs.analysisGCLogs + inputs.oomReports {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            consider((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970, "mtime")
        }
        return best
    }
}
