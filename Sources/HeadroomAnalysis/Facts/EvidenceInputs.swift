import HeadroomIngest

/// The evidence a user hands to `analyze` or `review`: bundles and single files of each kind.
public struct EvidenceInputs: Sendable, Equatable {
    public var bundles: [String] = []
    public var gcLogs: [String] = []
    /// GC logs of analysis-only runs (`build --nobuild`): their live set is the analysis baseline.
    public var analysisGCLogs: [String] = []
    public var samples: [String] = []
    public var oomReports: [String] = []
    public var profiles: [String] = []
    public var bazelrcFiles: [String] = []
    /// The workspace for `%workspace%` in rc imports.
    public var workspace: String?
    /// The command whose rc options apply (`build`, `test`).
    public var command = "build"
    public var configs: [String] = []
    /// `--bazel-version`: the release to plan for, above anything the evidence says.
    public var bazelVersion: String?
    public var context: Facts.Context?

    public init() {}

    public var isEmpty: Bool {
        bundles.isEmpty && gcLogs.isEmpty && analysisGCLogs.isEmpty && samples.isEmpty && oomReports.isEmpty && profiles.isEmpty
            && bazelrcFiles.isEmpty
    }
}
