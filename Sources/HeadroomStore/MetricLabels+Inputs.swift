import Foundation
import HeadroomRender

extension MetricLabels {
    /// The last part of `--workspace`, else of the first bundle's folder; the hostname from the
    /// first bundle manifest that names one.
    public static func from(_ inputs: EvidenceInputs) -> MetricLabels {
        func name(_ path: String) -> String? {
            let last = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            return last.isEmpty || last == "/" ? nil : last
        }
        var labels = MetricLabels(workspace: inputs.workspace.flatMap(name) ?? inputs.bundles.first.flatMap(name))
        for bundle in inputs.bundles {
            if let hostname = try? BundleReader.read(bundle).manifest.host.hostname, !hostname.isEmpty {
                labels.host = hostname
                break
            }
        }
        return labels
    }
}
