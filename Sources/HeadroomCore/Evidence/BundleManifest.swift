/// `bundle.json`: what a bundle holds and how it was made. Every later command reads bundles;
/// `sample` and `record` write them.
///
/// Readers ignore fields they do not know (a newer Headroom may add some), and a bundle whose
/// `complete` is false, or that has no `bundle.json` at all, was cut short.
public struct BundleManifest: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// One file of the bundle, by its path relative to the bundle's folder.
    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var kind: FileKind
        public var bytes: Int64?
        public var description: String?

        public init(path: String, kind: FileKind, bytes: Int64? = nil, description: String? = nil) {
            self.path = path
            self.kind = kind
            self.bytes = bytes
            self.description = description
        }
    }

    /// What a bundle file is, so readers find their inputs without guessing from names.
    public enum FileKind: String, Sendable, Codable, Equatable {
        case gcLog = "gc-log"
        case samples
        case oomReport = "oom-report"
        case traceProfile = "trace-profile"
        case bazelrc
        case commandOutput = "command-output"
        case baseline
        case other

        /// Unknown kinds from newer writers read as `other`.
        public init(from decoder: Decoder) throws {
            let raw = try decoder.singleValueContainer().decode(String.self)
            self = FileKind(rawValue: raw) ?? .other
        }
    }

    /// The machine the bundle was recorded on.
    public struct Host: Sendable, Codable, Equatable, ExplicitNullEncoding {
        public var hostname: String?
        public var memoryBytes: Int64?
        public var cpus: Int?
        public var kernel: String?
        /// "1", "2", or "hybrid" (v1 memory controller beside a v2 hierarchy).
        public var cgroupVersion: String?
        /// Who recorded the bundle: the login name and user ID, which `verify` compares with its
        /// own before it replays more of a recorded command than its allowlists let through.
        public var user: String?
        public var uid: UInt32?

        public init() {}
    }

    public static let currentFormatVersion = 1

    public var format = "headroom-bundle"
    public var formatVersion = BundleManifest.currentFormatVersion
    public var tool = "headroom"
    public var toolVersion = HeadroomVersion.current
    public var host = Host()
    /// The command that was measured, as an argument array, when there was one.
    public var command: [String]?
    public var startedAt: String?
    public var endedAt: String?
    public var exitStatus: Int32?
    /// False when the recording was interrupted (Ctrl-C, a timeout, the target vanished early).
    public var complete = true
    public var notes: [String] = []
    public var files: [File] = []

    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        func value<T: Decodable>(_ key: String, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: FieldKey(key))
        }
        format = try value("format", String.self) ?? format
        formatVersion = try value("formatVersion", Int.self) ?? formatVersion
        tool = try value("tool", String.self) ?? tool
        toolVersion = try value("toolVersion", String.self) ?? toolVersion
        host = try value("host", Host.self) ?? Host()
        command = try value("command", [String].self)
        startedAt = try value("startedAt", String.self)
        endedAt = try value("endedAt", String.self)
        exitStatus = try value("exitStatus", Int32.self)
        complete = try value("complete", Bool.self) ?? false
        notes = try value("notes", [String].self) ?? []
        files = try value("files", [File].self) ?? []
    }
}
