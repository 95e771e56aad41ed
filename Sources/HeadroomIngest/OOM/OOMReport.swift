import HeadroomCore

/// The OOM kills found in kernel logs, oldest first, with how much input was read.
public struct OOMReport: Sendable, Codable, Equatable, ExplicitNullEncoding {
    public var kills: [OOMKill]
    /// Kills found beyond `OOMReadOptions.maxKills`; the oldest are the ones left out.
    public var omittedKillCount: Int
    /// The inputs read, as named to the reader.
    public var inputs: [String]
    public var linesRead: Int
    /// Lines that belonged to a kill's report.
    public var reportLines: Int
    /// An input broke off (a truncated gzip member); kills may be missing.
    public var isPartial: Bool
    public var warnings: [String]
    /// Inputs that cannot tell whether an OOM kill happened (empty, or no kernel log), each
    /// message naming the file.
    public var unusableInputs: [String] = []

    public init(kills: [OOMKill], omittedKillCount: Int, inputs: [String], linesRead: Int, reportLines: Int, isPartial: Bool, warnings: [String]) {
        self.kills = kills
        self.omittedKillCount = omittedKillCount
        self.inputs = inputs
        self.linesRead = linesRead
        self.reportLines = reportLines
        self.isPartial = isPartial
        self.warnings = warnings
    }
}
