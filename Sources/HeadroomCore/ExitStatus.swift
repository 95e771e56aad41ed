/// Every exit status `headroom` ends with, in one table: what a script may rely on.
///
/// A status means the same in every command. Commands that run another program (`record`) end
/// with that program's own status when it failed, as a shell would; the table's statuses above
/// 100 follow the shell's conventions (124 timeout, 127 not found, 128+N signal N, 130 Ctrl-C).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done: analysed, read, sampled, confirmed, justified.
    case success = 0
    /// Done, but some input was unreadable or cut short: the result is marked partial.
    case partial = 1
    /// `analyze --fail-on`: a finding at or above the given severity.
    case findingAtOrAboveThreshold = 2
    /// No input could be read, a command could not be started, or an output file exists without
    /// `--force`.
    case inputUnreadable = 3
    /// Inputs were read but nothing in them was recognised (`gc`: no collection in the log).
    case nothingRecognised = 4
    /// `verify`: the bundle names a program or startup options that Headroom will not run.
    case refusedUntrustedCommand = 5
    /// `verify`: no fresh memory cgroup could be made (not root, no memory controller, no systemd).
    case cgroupUnavailable = 6
    /// No bundled Corpus case to fall back on when no input was given.
    case bundledCaseMissing = 7
    /// `baseline`: the analysis did not pass at the configured heap.
    case baselineFailed = 8
    /// `review`: the proposed heap is not supported by the evidence.
    case reviewNotJustified = 10
    /// `review`: the evidence cannot decide.
    case reviewInsufficientEvidence = 11
    /// `review`: the heap is too small and the change goes the right way, but the evidence
    /// supports a larger one.
    case reviewRaiseTooSmall = 12
    /// `verify`: killed, Bazel's out-of-memory exit, or thrashing under the planned limits.
    case verifyTooTight = 20
    /// `verify`: the command failed for another reason; nothing is proved either way.
    case verifyInconclusive = 21
    /// Usage error: an unknown option, a value that does not parse, options that conflict.
    case usage = 64
    /// A measured command ran out of time.
    case timedOut = 124
    /// The program to run was not found or could not be executed.
    case commandNotFound = 127
    /// Interrupted (Ctrl-C); partial results were kept and said.
    case interrupted = 130

    /// What the status means, for `--help`, the README and the tests that keep them in step.
    public var meaning: String {
        switch self {
        case .success: "done"
        case .partial: "done, but some input was unreadable or cut short (partial result)"
        case .findingAtOrAboveThreshold: "analyze: a finding at or above --fail-on"
        case .inputUnreadable: "no input could be read, a command could not start, or the output exists without --force"
        case .nothingRecognised: "gc: nothing recognisable in the input"
        case .refusedUntrustedCommand: "verify: the bundle names a program or startup options Headroom will not run"
        case .cgroupUnavailable: "verify: no fresh memory cgroup could be made"
        case .bundledCaseMissing: "no input given and the bundled Corpus case is missing"
        case .baselineFailed: "baseline: the analysis did not pass at the configured heap"
        case .reviewNotJustified: "review: not-justified"
        case .reviewInsufficientEvidence: "review: insufficient-evidence"
        case .reviewRaiseTooSmall: "review: raise-too-small (the right direction; the evidence supports more)"
        case .verifyTooTight: "verify: too-tight"
        case .verifyInconclusive: "verify: inconclusive"
        case .usage: "usage error"
        case .timedOut: "record: the command timed out"
        case .commandNotFound: "the program to run was not found"
        case .interrupted: "interrupted (Ctrl-C)"
        }
    }
}
