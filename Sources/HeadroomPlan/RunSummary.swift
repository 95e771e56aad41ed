import Foundation
import HeadroomRules

/// One run reduced to its peaks: the JSON line `analyze --emit summary` prints, so a fleet of CI
/// jobs can append one line each to a file, and the record `aggregate` reads.
///
/// Readers accept lines without the optional fields (or with fields they do not know); only
/// `time` is required.
public struct RunSummary: Sendable, Codable, Equatable, ExplicitNullEncoding {
    public static let formatName = "headroom-run-summary"
    public static let currentFormatVersion = 1

    public var format = RunSummary.formatName
    public var formatVersion = RunSummary.currentFormatVersion
    /// When the run happened, ISO-8601 UTC.
    public var time: String
    /// Where `time` came from: `endedAt` or `startedAt` of a bundle manifest, a file's `mtime`,
    /// or `now` when nothing said.
    public var timeSource: String
    public var workspace: String?
    public var host: String?
    public var context: Facts.Context?
    public var release: String?
    public var collector: Collector?
    public var liveSetPeak: Int64?
    public var serverRSSPeak: Int64?
    public var cgroupPeak: Int64?
    /// Cgroup usage minus the server's RSS at the same moment: tests and actions.
    public var testsPeak: Int64?
    public var committedHeapPeak: Int64?
    /// An explicit `-Xmx`; nil when the JVM default applied.
    public var configuredMaxHeap: Int64?
    /// The heap the JVM really had.
    public var effectiveMaxHeap: Int64?
    public var cgroupLimit: Int64?
    public var gcTimeFraction: Double?
    public var hostMemory: Int64?
    public var hostCPUs: Int?
    public var oomKilled: Bool
    /// What killed it: `kernel:<victim>/<constraint>` per kernel kill (victim `bazel-server`,
    /// `test-or-action` or `other`; constraint `memcg`, `global`, `other`, `unknown`), and
    /// `bazel:exit-33` for Bazel's own out-of-memory exit.
    public var oomKilledBy: [String]
    /// The bundle or file the run was read from.
    public var source: String

    public init(time: String, timeSource: String, source: String) {
        self.time = time
        self.timeSource = timeSource
        self.source = source
        oomKilled = false
        oomKilledBy = []
    }

    /// The figures of `report`'s facts, stamped with `time` (epoch seconds).
    public init(report: AnalysisReport, time: Double, timeSource: String, source: String, workspace: String? = nil, host: String? = nil) {
        self.init(time: ISOTime.format(epochSeconds: time), timeSource: timeSource, source: source)
        let facts = report.facts
        self.workspace = workspace
        self.host = host
        context = facts.context.source == "default" ? nil : facts.context.value
        for figure in RunSummaryFigure.all { figure.copy(from: facts, into: &self) }
        oomKilledBy = facts.oomKills.map { "kernel:\($0.classification.rawValue)/\($0.constraint.rawValue)" }
        if facts.bazel.outOfMemoryExit?.value == true { oomKilledBy.append(Self.bazelOutOfMemoryExit) }
        oomKilled = !oomKilledBy.isEmpty
    }

    public static let bazelOutOfMemoryExit = "bazel:exit-33"

    /// The summary as one line of JSON, keys sorted, ending in a newline.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        func value<T: Decodable>(_ key: String, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: FieldKey(key))
        }
        format = try value("format", String.self) ?? Self.formatName
        guard format == Self.formatName else {
            throw DecodingError.dataCorrupted(.init(codingPath: [FieldKey("format")], debugDescription: "format is \(format), not \(Self.formatName)"))
        }
        formatVersion = try value("formatVersion", Int.self) ?? Self.currentFormatVersion
        guard let time = try value("time", String.self) else {
            throw DecodingError.keyNotFound(FieldKey("time"), .init(codingPath: [], debugDescription: "a run summary needs a time"))
        }
        self.time = time
        timeSource = try value("timeSource", String.self) ?? "given"
        workspace = try value("workspace", String.self)
        host = try value("host", String.self)
        context = try value("context", Facts.Context.self)
        release = try value("release", String.self)
        collector = try value("collector", Collector.self)
        liveSetPeak = try value("liveSetPeak", Int64.self)
        serverRSSPeak = try value("serverRSSPeak", Int64.self)
        cgroupPeak = try value("cgroupPeak", Int64.self)
        testsPeak = try value("testsPeak", Int64.self)
        committedHeapPeak = try value("committedHeapPeak", Int64.self)
        configuredMaxHeap = try value("configuredMaxHeap", Int64.self)
        effectiveMaxHeap = try value("effectiveMaxHeap", Int64.self)
        cgroupLimit = try value("cgroupLimit", Int64.self)
        gcTimeFraction = try value("gcTimeFraction", Double.self)
        hostMemory = try value("hostMemory", Int64.self)
        hostCPUs = try value("hostCPUs", Int.self)
        oomKilledBy = try value("oomKilledBy", [String].self) ?? []
        oomKilled = try value("oomKilled", Bool.self) ?? !oomKilledBy.isEmpty
        source = try value("source", String.self) ?? "unknown"
    }
}
