import HeadroomCore

/// What reading a memory series found: how much was read, and the lines that could not be used.
///
/// A bad line is skipped, never fatal: the first `badLineExampleLimit` are kept with their
/// file and line, the rest only counted, so a damaged file of millions of lines stays small here.
public struct MemorySeriesSummary: Sendable {
    public static let badLineExampleLimit = 20

    /// The input as reports name it (`<stdin>` for `-`).
    public var source: String
    public var format: MemorySeriesFormat
    /// Plain or gzip; nil for a folder of cgroup files.
    public var encoding: InputEncoding?
    /// Lines read (folders, for cgroup snapshots).
    public var linesRead = 0
    /// Samples handed on.
    public var samples = 0
    /// Lines skipped as malformed.
    public var badLineCount = 0
    /// The first malformed lines, each with its file, line and reason.
    public var badLines: [InputError] = []
    /// Problems that did not stop reading (a truncated gzip member, an assumption made).
    public var warnings: [String] = []
    /// The input is known to be cut short: a sample log without its end record, or a truncated gzip.
    public var isPartial = false
    /// A sample log's header record.
    public var header: SampleLogHeader?
    /// A sample log's end record reason.
    public var endReason: String?
    private var lastSampleTime: Double?
    private var sawTimeGoBack = false

    public init(source: String, format: MemorySeriesFormat, encoding: InputEncoding? = nil) {
        self.source = source
        self.format = format
        self.encoding = encoding
    }

    /// Counts a malformed line and keeps it when there is room.
    mutating func reject(line: Int?, _ reason: String, path: String? = nil) {
        badLineCount += 1
        if badLines.count < Self.badLineExampleLimit {
            badLines.append(InputError(path: path ?? source, reason: reason, line: line))
        }
    }

    /// Takes the time of the next sample handed on. One stamped before the one before it
    /// (clocks stepped back, or series joined out of order) is kept, since its figures are real,
    /// but said once with its line.
    mutating func track(time: Double, line: Int) {
        if let last = lastSampleTime, time < last, !sawTimeGoBack {
            sawTimeGoBack = true
            warnings.append("time goes back at line \(line), from \(last) to \(time): the samples are not in time order")
        }
        lastSampleTime = time
    }

    /// Adds a warning once.
    mutating func warn(_ warning: String) {
        if !warnings.contains(warning) { warnings.append(warning) }
    }
}
