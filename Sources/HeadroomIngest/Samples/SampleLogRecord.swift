import Foundation
import HeadroomCore

/// The first record of a Headroom sample log: what was sampled, how often, by which version.
public struct SampleLogHeader: Sendable, Codable, Equatable {
    /// The `format` every sample log names.
    public static let formatName = "headroom-samples"
    /// The version this Headroom writes; readers take later ones and ignore fields they do not know.
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// The Headroom version that wrote the log.
    public var toolVersion: String?
    /// What was sampled, as a person would name it (`pid 4242 (java)`, `cgroup /system.slice/bazel.scope`).
    public var target: String?
    /// Seconds between samples.
    public var interval: Double?

    public init(target: String?, interval: Double?, toolVersion: String = HeadroomVersion.current) {
        format = Self.formatName
        version = Self.currentVersion
        self.toolVersion = toolVersion
        self.target = target
        self.interval = interval
    }
}

/// The last record of a sample log: why sampling stopped. A log without one was cut short.
public struct SampleLogEnd: Sendable, Codable, Equatable {
    public var reason: String
    /// Seconds since the epoch when sampling stopped.
    public var time: Double?

    public init(reason: String, time: Double? = nil) {
        self.reason = reason
        self.time = time
    }
}

/// A record's body with its `"record"` kind beside its own fields, as one flat JSON object.
package struct TaggedRecord<Body: Encodable>: Encodable {
    package var kind: String
    var body: Body

    package init(kind: String, body: Body) {
        self.kind = kind
        self.body = body
    }

    package func encode(to encoder: Encoder) throws {
        try body.encode(to: encoder)
        // The same keyed container again: JSONEncoder hands back the object the body wrote.
        var container = encoder.container(keyedBy: FieldKey.self)
        try container.encode(kind, forKey: FieldKey("record"))
    }
}

/// The one field every record has, read first to choose how to read the rest.
package struct RecordKind: Decodable {
    var record: String?
}

/// The JSON settings shared by the sample log's writer and reader.
package enum SampleLogCoding {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        // One record per line. Keys are not sorted: sorting every sample costs the sampler CPU.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
