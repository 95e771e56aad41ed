import HeadroomRules

/// A reviewer's answer to a proposed heap change: the verdict, why, and the value the evidence
/// supports.
public struct ReviewVerdict: Sendable, Codable, Equatable, ExplicitNullEncoding {
    public enum Verdict: String, Sendable, Codable, Equatable {
        case justified
        case notJustified = "not-justified"
        case insufficientEvidence = "insufficient-evidence"
        /// The heap is too small and the change goes the right way, but the evidence supports a
        /// larger one: not a "no", a "yes, and more".
        case raiseTooSmall = "raise-too-small"

        /// The exit status `headroom review` ends with.
        public var exitStatus: ExitStatus {
            switch self {
            case .justified: .success
            case .notJustified: .reviewNotJustified
            case .insufficientEvidence: .reviewInsufficientEvidence
            case .raiseTooSmall: .reviewRaiseTooSmall
            }
        }
    }

    public var schemaVersion = 1
    public var verdict: Verdict
    public var proposal: String
    public var currentMaxHeapBytes: Int64?
    public var proposedMaxHeapBytes: Int64?
    /// The `-Xmx` the evidence supports (the plan's target, or the heap the live set needs).
    public var supportedMaxHeapBytes: Int64?
    public var reasons: [String]
    public var evidence: [Finding.Evidence]
    /// The analysis the verdict rests on.
    public var analysis: AnalysisReport
}
