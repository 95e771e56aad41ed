import Foundation

/// Who a metrics exposition is about: the workspace and the machine, which the facts do not
/// hold, so the caller names them (`--workspace`, a bundle's folder and manifest).
public struct MetricLabels: Sendable, Equatable {
    /// The workspace's name; nil leaves the `workspace` label out.
    public var workspace: String?
    /// The machine's hostname; nil leaves the `host` label out.
    public var host: String?

    public init(workspace: String? = nil, host: String? = nil) {
        self.workspace = workspace
        self.host = host
    }

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
