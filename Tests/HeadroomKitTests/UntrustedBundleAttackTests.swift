import Foundation
import Testing
@testable import HeadroomKit

/// The reported attacks of a bundle on the real command line: text in a bundle that tried to
/// become commands in the CI snippet and options in the `.bazelrc` fragment, and a recorded
/// command that tried to make `verify` run a program of the bundle's choosing.
@Suite(.enabled(if: HeadroomCLI.isBuilt, "build headroom first (swift build)"))
struct UntrustedBundleAttackTests {
    /// Closes the CI snippet's here-document early, then runs a command and adds a startup line.
    static let versionText = "bazel 7.0.0\nHEADROOM_EOF\ntouch INJECTED\nstartup --host_jvm_args=-javaagent:/tmp/agent.jar\n"
    static let release = "release 7.0.0\nstartup --host_jvm_args=-javaagent:/tmp/agent.jar"

    static func hostileBundle(in folder: URL) throws -> HostileBundle {
        let bundle = try HostileBundle(in: folder)
        try bundle.edit("bazel-identity.json") { $0["versionText"] = versionText }
        try bundle.edit("record.json") { record in
            var info = record["bazelInfo"] as? [String: Any] ?? [:]
            info["release"] = release
            record["bazelInfo"] = info
            record["bazelVersion"] = versionText
        }
        return bundle
    }

    /// The option lines of a `.bazelrc` text: neither blank nor comments.
    static func optionLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
    }

    @Test func aVersionTextCannotAddCommandsToTheCISnippet() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try Self.hostileBundle(in: folder)
        let result = try HeadroomCLI.run(["analyze", bundle.path, "--emit", "ci"], in: folder)
        #expect(result.status == 0, "\(result.errors)")
        let syntax = try StubCommands.syntaxCheck(result.output)
        #expect(syntax.passed, "\(syntax.message)")

        let scratch = folder.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let stubs = try StubCommands(in: scratch)
        #expect(try stubs.runShell(result.output) == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("INJECTED").path), "the bundle's text ran as a command")
        let calls = stubs.calls()
        #expect(calls.first == ["bazel", "shutdown"])
        let properties = (bundle.report().plan.cgroup?.limits.systemdProperties ?? []).flatMap { ["-p", $0] }
        let planned: Set<[String]> = [["bazel", "build", "//..."], ["systemd-run", "--scope", "--quiet"] + properties + ["--", "bazel", "build", "//..."]]
        #expect(calls.count == 2 && planned.contains(calls[1]), "\(calls)")

        let written = try String(contentsOf: scratch.appendingPathComponent(".bazelrc.memory"), encoding: .utf8)
        #expect(Self.optionLines(written) == bundle.report().plan.allSettings.map(\.setting.rcLine))
    }

    @Test func aReleaseCannotAddOptionsToTheBazelrcFragment() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try Self.hostileBundle(in: folder)
        let result = try HeadroomCLI.run(["analyze", bundle.path, "--emit", "bazelrc"], in: folder)
        #expect(result.status == 0, "\(result.errors)")
        let planned = bundle.report().plan.allSettings.map(\.setting.rcLine)
        #expect(!planned.isEmpty)
        #expect(Self.optionLines(result.output) == planned, "\(result.output)")
        #expect(!Self.optionLines(result.output).contains { $0.contains("javaagent") })
    }

    @Test func verifyDoesNotRunAProgramTheBundleNamed() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try HostileBundle(in: folder)
        try bundle.edit("record.json") { $0["requestedCommand"] = ["./tools/fakebazel", "test", "//..."] }
        let tools = folder.appendingPathComponent("tools")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        let marker = folder.appendingPathComponent("RAN").path
        let fake = tools.appendingPathComponent("fakebazel").path
        try FakeBazel.writeExecutable("#!/bin/sh\ntouch \(FakeBazel.quoted(marker))\nexit 1\n", to: fake)

        let result = try HeadroomCLI.run(
            ["verify", bundle.path, "--memory-max", "1G", "--timeout", "20s", "--out", folder.appendingPathComponent("out").path, "--quiet"], in: folder)
        #expect(!FileManager.default.fileExists(atPath: marker), "verify ran the bundle's program")
        #expect(result.status == 5, "\(result.errors)")
        #expect(result.errors.contains("record.json: refused: the recorded command runs ./tools/fakebazel"), "\(result.errors)")
    }

    /// A bundle of this machine and user whose recorded command names a Bazel elsewhere, with a
    /// Java agent and a `--run_under`: verify runs the `bazel` on PATH (a stub that logs), prints
    /// what it will run first, and drops and lists the two options.
    @Test func verifyRunsThisMachinesBazelWithTheAllowedOptionsOnly() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try HostileBundle(in: folder)
        let recorded = [
            folder.appendingPathComponent("bin-of-the-bundle/bazel").path, "--output_base=\(folder.path)/ob", "--host_jvm_args=-javaagent:/tmp/agent.jar",
            "build", "--run_under=/tmp/x", "--jobs=2", "//...",
        ]
        try bundle.edit("record.json") { $0["requestedCommand"] = recorded }
        try bundle.edit("bundle.json") { manifest in
            var host = manifest["host"] as? [String: Any] ?? [:]
            host["hostname"] = ProcessInfo.processInfo.hostName
            host["uid"] = Int(getuid())
            manifest["host"] = host
        }
        let stubs = try StubCommands(in: folder)
        let result = try HeadroomCLI.run(
            ["verify", bundle.path, "--memory-max", "1G", "--timeout", "20s", "--out", folder.appendingPathComponent("out").path, "--quiet"],
            prefix: ["/usr/bin/env", "PATH=\(stubs.bin):/usr/bin:/bin", "STUB_LOG=\(stubs.log)"], in: folder)
        #expect(result.errors.contains("not replayed from the bundle (not on verify's allowlists; --trust-bundle replays them): --host_jvm_args=-javaagent:/tmp/agent.jar --run_under=/tmp/x"), "\(result.errors)")
        #expect(result.errors.contains("will run, each in turn"), "\(result.errors)")
        #expect(result.errors.contains("  \(stubs.bin)/bazel --output_base=\(folder.path)/ob shutdown"), "\(result.errors)")
        let calls = stubs.calls()
        #expect(calls.first == ["bazel", "--output_base=\(folder.path)/ob", "shutdown"], "\(calls)")
        for call in calls {
            #expect(call.first == "bazel")
            #expect(!call.contains { $0.contains("javaagent") || $0.contains("run_under") }, "\(call)")
        }
    }
}
