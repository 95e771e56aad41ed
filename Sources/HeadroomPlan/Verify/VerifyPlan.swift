import HeadroomRules

/// The settings a verification applies: Bazel options by `.bazelrc` scope and the cgroup's
/// limits, from an analysis plan or a `.bazelrc` fragment.
public struct VerifyPlan: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// The options, in `.bazelrc` order (`startup` first).
    public var settings: [BazelSetting]
    public var limits: CgroupLimits
    /// Where the plan came from (`analysis of BUNDLE`, `fragment F`).
    public var source: String

    public init(settings: [BazelSetting], limits: CgroupLimits, source: String) {
        self.settings = settings
        self.limits = limits
        self.source = source
    }

    /// The option lines of a `.bazelrc` fragment (`startup`, `common`, `build`, `test`; a line
    /// for a `--config` or another command is not applied and is named in `ignored`).
    public static func settings(fromFragment text: String, name: String) throws -> (settings: [BazelSetting], ignored: [String]) {
        let chain = try BazelrcReader.read(text: text, name: name, workspace: nil)
        var settings: [BazelSetting] = []
        var ignored: [String] = []
        for line in chain.lines {
            guard line.config == nil, let scope = BazelSetting.Scope(rawValue: line.command) else {
                ignored.append("\(line.command)\(line.config.map { ":" + $0 } ?? "") \(line.words.joined(separator: " "))")
                continue
            }
            for word in line.words {
                settings.append(BazelSetting(scope, flag: flagName(word), argument: word, reason: "\(name):\(line.location.line)"))
            }
        }
        return (settings, ignored)
    }

    /// `--host_jvm_args=-Xmx1g` → `host_jvm_args`; `--noflag` → `flag`.
    static func flagName(_ argument: String) -> String {
        var name = Substring(argument)
        while name.hasPrefix("-") { name = name.dropFirst() }
        if let equals = name.firstIndex(of: "=") { name = name[..<equals] }
        return String(name)
    }

    /// The heap the options set (the last `-Xmx`), nil when they set none.
    public var maxHeapBytes: Int64? {
        var heap: Int64?
        for setting in settings where setting.scope == .startup && setting.argument.hasPrefix("--host_jvm_args=-Xmx") {
            heap = JVMSize.bytes(String(setting.argument.dropFirst("--host_jvm_args=-Xmx".count))) ?? heap
        }
        return heap
    }

    /// `invocation` with the plan's options: startup options after the user's (a later `-Xmx` wins
    /// in the JVM; a startup flag given again replaces the user's), and the options of the scopes
    /// that apply to the command before its arguments.
    public func apply(to invocation: BazelInvocation) -> BazelInvocation {
        var result = invocation
        for setting in settings where setting.scope == .startup {
            if setting.flag != "host_jvm_args" {
                result.startupOptions.removeAll { Self.flagName($0) == setting.flag || Self.flagName($0) == "no" + setting.flag }
            }
            result.startupOptions.append(setting.argument)
        }
        let applicable = Set(BazelrcCommandInheritance.commandsToParse(for: invocation.command))
        let commandOptions = settings.filter { $0.scope != .startup && applicable.contains($0.scope.rawValue) }.map(\.argument)
        result.arguments.insert(contentsOf: commandOptions, at: 0)
        return result
    }

    /// The `.bazelrc` lines of the plan, for the report.
    public var rcLines: [String] { settings.map(\.rcLine) }
}
