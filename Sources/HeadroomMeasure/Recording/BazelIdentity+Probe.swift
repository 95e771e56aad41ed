import Foundation
import HeadroomStore

extension BazelIdentity {
    /// Asks the binary. Runs `--version`, and for an unknown release the two help pages, with
    /// `startupOptions` (the same as the user's, or the help would restart the server). An
    /// interrupt stops the command running; what was cut short is neither kept nor cached.
    public static func probe(
        binary: String, startupOptions: [String] = [], workingDirectory: String? = nil, cacheDirectory: String? = defaultCacheDirectory,
        interrupted: () -> Bool = { false }
    ) -> BazelIdentity {
        func run(_ words: [String]) -> String? {
            Self.run(words, workingDirectory: workingDirectory, interrupted: interrupted)
        }
        let version = run([binary, "--version"]) ?? ""
        let versionLine = version.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        var identity = BazelIdentity(versionText: versionLine)
        if case .numbered = identity.release { return identity }
        let cacheFile = cacheDirectory.flatMap { cachePath(for: binary, in: $0) }
        if let cacheFile, let data = FileManager.default.contents(atPath: cacheFile),
            let cached = try? JSONDecoder().decode(BazelIdentity.self, from: data), cached.versionText == versionLine
        {
            return cached
        }
        let help = [binary] + startupOptions + ["help"]
        identity.probedCommandFlags = run(help + ["build", "--long"]).map(parseHelpFlags)
        identity.probedStartupFlags = run(help + ["startup_options"]).map(parseHelpFlags)
        if let cacheFile, !interrupted(), let data = try? JSONEncoder().encode(identity) {
            try? FileManager.default.createDirectory(atPath: (cacheFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? AtomicFile.write(data, to: cacheFile, overwrite: true)
        }
        return identity
    }

    /// Headroom's own cache folder (`$XDG_CACHE_HOME/headroom`, else `~/.cache/headroom`).
    public static var defaultCacheDirectory: String? {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/headroom" }
        return environment["HOME"].map { $0 + "/.cache/headroom" }
    }

    /// One cache file per binary: its path, size and modification time name it.
    static func cachePath(for binary: String, in directory: String) -> String? {
        let resolved = binary.contains("/") ? binary : (ExecutableSearch.find(binary) ?? binary)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = MD5.hexDigest(of: Array("\(resolved)|\(size)|\(modified)".utf8))
        return "\(directory)/bazel-flags-\(key).json"
    }

    /// Standard output of a command run from an argument array, or nil when it failed.
    private static func run(_ words: [String], workingDirectory: String?, interrupted: () -> Bool) -> String? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        guard let outcome = try? CommandRunner.run(words, outputPath: output, errorPath: "/dev/null", workingDirectory: workingDirectory, timeoutSeconds: 300,
                interrupted: interrupted),
            outcome.exitStatus == 0, !outcome.interrupted
        else { return nil }
        return try? String(contentsOfFile: output, encoding: .utf8)
    }
}
