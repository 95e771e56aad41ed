import Foundation
import HeadroomPlan

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
}
