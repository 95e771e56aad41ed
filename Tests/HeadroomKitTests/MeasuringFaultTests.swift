import Foundation
import Testing
import HeadroomKit

/// Faults while measuring: what `headroom record` and `headroom sample` do when the server dies,
/// the cgroup is removed, processes vanish between reads, the disk fills, Ctrl-C comes at any
/// stage, the command hangs, or its arguments hold shell syntax. End to end through the built
/// binary, against real processes, cgroups, file systems and (where it matters) a real Bazel.
enum MeasuringFaults {
    /// Why the command-line tests cannot run here, or nil.
    static let headroomMissing: String? =
        FileManager.default.isExecutableFile(atPath: builtHeadroom) ? nil : "build headroom first (swift build)"

    /// Why the tests with a real Bazel cannot run here, or nil.
    static let realBazelMissing: String? = {
        if let headroomMissing { return headroomMissing }
        if installedBazel == nil { return "bazel is not installed" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "python3 is missing" }
        return nil
    }()

    /// Why a small tmpfs cannot be mounted here (mounting needs root), or nil.
    static let tmpfsUnavailable: String? = {
        if let missing = MeasuringFaults.headroomMissing { return missing }
        guard let root = try? TestSupport.temporaryDirectory() else { return "no temporary folder" }
        defer { try? FileManager.default.removeItem(at: root) }
        guard mount("tmpfs", root.path, "tmpfs", 0, "size=64k") == 0 else {
            return "cannot mount a tmpfs (\(String(cString: strerror(errno)))): mounting needs root"
        }
        umount(root.path)
        return nil
    }()

    /// Starts `headroom ARGUMENTS…` with its own cache folder in `root` (no shell).
    static func headroom(_ arguments: [String], root: URL, in directory: URL? = nil, blockingInterrupt: Bool = false) throws -> BackgroundProcess {
        try BackgroundProcess(
            [builtHeadroom] + arguments, environment: ["XDG_CACHE_HOME": root.appendingPathComponent("cache").path], in: directory,
            blockingInterrupt: blockingInterrupt)
    }

    /// The manifest of the bundle at `folder`, or nil when it has none.
    static func manifest(_ folder: String) -> BundleManifest? {
        FileManager.default.contents(atPath: folder + "/bundle.json").flatMap { try? JSONDecoder().decode(BundleManifest.self, from: $0) }
    }

    /// The reason in a sample log's end record.
    static func endReason(_ path: String) -> String? {
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        guard let last = lines.last, let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
            object["record"] as? String == "end"
        else { return nil }
        return object["reason"] as? String
    }

    /// How many sample records a sample log holds so far.
    static func sampleCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains("\"record\":\"sample\"") }.count
    }

    /// Waits up to `seconds` for `condition`.
    @discardableResult
    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// `headroom analyze FOLDER`: its exit status and what it printed, lines unwrapped.
    static func analyze(_ folder: String, root: URL) throws -> (BackgroundProcess.Termination?, String) {
        let analysis = try headroom(["analyze", folder], root: root)
        let ended = analysis.waitOrKill(seconds: 60)
        let text = analysis.standardOutput + analysis.standardError
        return (ended, text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}

/// `record --timeout` on a command whose process tree ignores SIGINT.
@Suite(.serialized, .enabled(if: MeasuringFaults.headroomMissing == nil, "\(MeasuringFaults.headroomMissing ?? "")"))
struct HangingCommandTests {
    @Test func aTimeoutKillsTheWholeTree() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pidFile = root.appendingPathComponent("tree.pids").path
        let fake = try FakeBazel(in: root, behaviour: .hang(pidFile: pidFile))
        let bundle = root.appendingPathComponent("bundle").path
        let started = Date()
        let recording = try MeasuringFaults.headroom(["record", "--timeout", "2s", "--out", bundle, "--", fake.path, "build", "//x"], root: root)
        func tree() -> [Int] {
            ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
        }
        // The fake, a child, a grandchild's parent and the grandchild, and a child in a group of its own.
        #expect(MeasuringFaults.waitUntil(seconds: 10) { tree().count == 5 })
        let ended = recording.waitOrKill(seconds: 60)

        #expect(ended == .exited(124), "\(recording.standardError)")
        #expect(Date().timeIntervalSince(started) < 30)
        let pids = tree()
        #expect(pids.count == 5)
        #expect(ProcessTable.waitFor(seconds: 3) { _ in pids.allSatisfy { !ProcessTable.isRunning($0) } }, "survivors: \(pids.filter(ProcessTable.isRunning))")
        let manifest = try #require(MeasuringFaults.manifest(bundle))
        #expect(!manifest.complete)
        #expect(manifest.notes.contains { $0.contains("timed out") }, "\(manifest.notes)")
    }
}

/// Arguments reach the command as words, never through a shell.
@Suite(.enabled(if: MeasuringFaults.headroomMissing == nil, "\(MeasuringFaults.headroomMissing ?? "")"))
struct CommandArgumentTests {
    @Test func wordsWithSpacesQuotesAndShellSyntaxArriveExactly() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pwned = root.appendingPathComponent("PWNED").path
        let received = root.appendingPathComponent("argv").path
        let fake = try FakeBazel(in: root, behaviour: .recordArguments(to: received))
        let words = ["a b", "q\"x", "$(touch \(pwned))", "`touch \(pwned)`; touch \(pwned)", "it's"]
        let recording = try MeasuringFaults.headroom(["record", "--out", root.appendingPathComponent("bundle").path, "--", fake.path, "build"] + words, root: root)
        #expect(recording.waitOrKill(seconds: 30) == .exited(0), "\(recording.standardError)")

        let data = try Data(contentsOf: URL(fileURLWithPath: received))
        let arguments = data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        // `record` adds its --profile before the user's words; the words themselves are untouched.
        #expect(arguments.first?.hasPrefix("--profile=") == true)
        #expect(Array(arguments.dropFirst()) == words)
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }
}
