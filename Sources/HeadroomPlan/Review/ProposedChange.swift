import HeadroomRules

/// A proposed change to a workspace's Bazel options, as a reviewer sees it: the settings before
/// (when known) and after.
public struct ProposedChange: Sendable {
    public var before: BazelMemorySettings?
    public var after: BazelMemorySettings
    /// What was proposed, in words (`startup --host_jvm_args=-Xmx14g`, `a.bazelrc → b.bazelrc`).
    public var summary: String
    /// Imported files that could not be read (absent `try-import` targets), said in the verdict.
    public var unreadImports: [String]

    public init(before: BazelMemorySettings?, after: BazelMemorySettings, summary: String, unreadImports: [String] = []) {
        self.before = before
        self.after = after
        self.summary = summary
        self.unreadImports = unreadImports
    }

    /// Options written as `.bazelrc` lines (`startup --host_jvm_args=-Xmx14g`).
    public static func rcLines(_ lines: [String], command: String = "build") throws -> ProposedChange {
        let text = lines.joined(separator: "\n")
        let chain = try BazelrcReader.read(text: text, name: "--proposed", workspace: nil)
        return ProposedChange(before: nil, after: try BazelMemorySettings(chain: chain, command: command), summary: lines.joined(separator: "; "))
    }

    /// Two rc files: the current one and the proposed one.
    public static func files(before: String, after: String, workspace: String?, command: String = "build") throws -> ProposedChange {
        let old = try BazelMemorySettings(chain: BazelrcReader.read(files: [before], workspace: workspace), command: command)
        let new = try BazelMemorySettings(chain: BazelrcReader.read(files: [after], workspace: workspace), command: command)
        return ProposedChange(before: old, after: new, summary: "\(before) → \(after)")
    }

    /// A unified diff (`git diff`): removed and context lines of rc files make the before side,
    /// added and context lines the after side. Files whose name does not mention `bazelrc` are
    /// ignored; a diff without file headers is read whole.
    /// `try-import %workspace%/…` lines resolve against `workspace`; imports that cannot be read
    /// are listed in `unreadImports`.
    public static func unifiedDiff(_ text: String, name: String = "<diff>", workspace: String? = nil, command: String = "build") throws -> ProposedChange {
        var before: [String] = []
        var after: [String] = []
        var inRcFile = true
        var files: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("diff --git ") {
                inRcFile = line.contains("bazelrc")
                continue
            }
            if line.hasPrefix("+++ ") {
                inRcFile = line.contains("bazelrc")
                if inRcFile { files.append(String(line.dropFirst(4))) }
                continue
            }
            if line.hasPrefix("--- ") || line.hasPrefix("@@") || line.hasPrefix("index ") || line.hasPrefix("\\") { continue }
            guard inRcFile, let marker = line.first else { continue }
            let body = String(line.dropFirst())
            switch marker {
            case "+": after.append(body)
            case "-": before.append(body)
            case " ":
                before.append(body)
                after.append(body)
            default: continue
            }
        }
        let oldChain = try BazelrcReader.read(text: before.joined(separator: "\n"), name: "\(name) (before)", workspace: workspace)
        let newChain = try BazelrcReader.read(text: after.joined(separator: "\n"), name: "\(name) (after)", workspace: workspace)
        return ProposedChange(
            before: try BazelMemorySettings(chain: oldChain, command: command), after: try BazelMemorySettings(chain: newChain, command: command),
            summary: files.isEmpty ? "a diff" : "a diff of \(files.joined(separator: ", "))",
            unreadImports: Array(Set(oldChain.skippedFiles + newChain.skippedFiles)).sorted())
    }
}
