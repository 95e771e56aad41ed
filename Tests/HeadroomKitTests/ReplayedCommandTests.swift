import Foundation
import Testing
@testable import HeadroomKit

/// What of a bundle's recorded command `verify` may run: the program only when it is Bazel found
/// here, options only from the allowlists, more only with `--trust-bundle`.
struct ReplayedCommandTests {
    /// A PATH folder holding an executable `bazel`, and the choice that searches it.
    final class SearchPath {
        let folder: URL
        var bazel: String { folder.appendingPathComponent("bazel").path }

        init() throws {
            folder = try TestSupport.temporaryDirectory()
            try FakeBazel.writeExecutable("#!/bin/sh\nexit 0\n", to: bazel)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func choice(bazel: String? = nil, trust: Bool = false) -> ReplayedCommand.Choice {
            ReplayedCommand.Choice(bazel: bazel, trustBundle: trust, searchPath: "relative/bin::" + folder.path)
        }
    }

    static let local = BundleProvenance(recordedHost: "box", recordedUser: "me", recordedUID: 1000, localHost: "box", localUID: 1000)
    static let elsewhere = BundleProvenance(recordedHost: "ci-7", recordedUser: "builder", recordedUID: 1000, localHost: "box", localUID: 1000)
    static let unnamed = BundleProvenance(recordedHost: nil, recordedUser: nil, recordedUID: nil, localHost: "box", localUID: 1000)

    static let hostileStartup = [
        "--host_jvm_args=-javaagent:/tmp/agent.jar", "--host_jvm_args=-agentpath:/tmp/a.so", "--host_jvm_args=-agentlib:jdwp=transport=dt_socket",
        "--host_jvm_args=-XX:OnError=sh -c id", "--host_jvm_args=-XX:OnOutOfMemoryError=touch /tmp/x", "--host_jvm_args=-Xbootclasspath/a:/tmp/x.jar",
        "--server_javabase=/tmp/jdk", "--bazelrc=/tmp/evil.rc", "--host_jvm_args=-Djava.class.path=/tmp/x", "--host_jvm_args=-Xlog:gc*:file=/etc/passwd",
        "--host_jvm_args=-XX:HeapDumpPath=/etc", "--host_jvm_debug", "--output_base=/o\nstartup --bazelrc=/x", "--host_jvm_args=-Xmx4g -javaagent:/x",
    ]
    static let benignStartup = [
        "--host_jvm_args=-Xmx4g", "--host_jvm_args=-Xms1g", "--host_jvm_args=-XX:+UseG1GC", "--host_jvm_args=-XX:-UseParallelGC",
        "--host_jvm_args=-Xlog:gc*:stdout:time,uptime", "--host_jvm_args=-XX:MaxRAMPercentage=50", "--output_base=/o", "--output_user_root=/u",
        "--max_idle_secs=5", "--noshutdown_on_low_sys_mem", "--batch",
    ]

    @Test func aProgramThatIsNotBazelIsRefused() throws {
        let path = try SearchPath()
        for program in ["./tools/fakebazel", "/usr/bin/python3", "sh", "bazel.sh", "", "bazel\n"] {
            #expect(throws: ReplayedCommand.Refusal.self, "\(program)") {
                try ReplayedCommand.fromBundle([program, "test", "//..."], file: "b/record.json", provenance: Self.local, choice: path.choice())
            }
            do {
                _ = try ReplayedCommand.fromBundle([program, "test", "//..."], file: "b/record.json", provenance: Self.local, choice: path.choice(trust: true))
                Issue.record("\(program) ran with --trust-bundle")
            } catch {
                #expect(error.kind == .notBazel, "\(program): \(error.reason)")
                #expect(error.reason.hasPrefix("b/record.json: refused: the recorded command runs "), "\(error.reason)")
            }
        }
    }

    @Test func bazelIsTheOneOnThisMachinesPathNotTheBundles() throws {
        let path = try SearchPath()
        let replayed = try ReplayedCommand.fromBundle(["/home/attacker/bin/bazel", "build", "//..."], file: "r", provenance: Self.elsewhere, choice: path.choice())
        #expect(replayed.invocation.words == [path.bazel, "build", "//..."])
        let given = try ReplayedCommand.fromBundle(["bazelisk", "build", "//..."], file: "r", provenance: Self.local, choice: path.choice(bazel: "/opt/bazel"))
        #expect(given.invocation.binary == "/opt/bazel")
        do {
            _ = try ReplayedCommand.fromBundle(["bazelisk", "build", "//..."], file: "r", provenance: Self.local, choice: path.choice())
            Issue.record("bazelisk is not in the search path, and relative folders do not count")
        } catch {
            #expect(error.kind == .bazelMissing)
            #expect(error.reason == "r: the recorded command runs bazelisk, which is not on PATH here: give --bazel PATH")
        }
    }

    @Test func startupOptionsPassTheAllowlist() throws {
        let path = try SearchPath()
        let words = ["bazel"] + Self.hostileStartup + Self.benignStartup + ["build", "//..."]
        let replayed = try ReplayedCommand.fromBundle(words, file: "r", provenance: Self.local, choice: path.choice())
        #expect(replayed.invocation.startupOptions == Self.benignStartup)
        #expect(replayed.dropped == Self.hostileStartup)
        for option in Self.hostileStartup { #expect(!StartupOptionAllowlist.allows(option), "\(option)") }
    }

    @Test func commandOptionsPassTheAllowlistAndTargetsStay() throws {
        let path = try SearchPath()
        let words = [
            "bazel", "test", "--jobs=4", "--run_under=/tmp/x", "-k", "--config=ci", "--override_repository=r=/tmp/r", "--action_env=PATH=/tmp",
            "--profile=/etc/passwd", "--nokeep_going", "//a:b", "--", "-//c/...",
        ]
        let replayed = try ReplayedCommand.fromBundle(words, file: "r", provenance: Self.local, choice: path.choice())
        #expect(replayed.invocation.arguments == ["--jobs=4", "-k", "--config=ci", "--nokeep_going", "//a:b", "--", "-//c/..."])
        #expect(replayed.dropped == ["--run_under=/tmp/x", "--override_repository=r=/tmp/r", "--action_env=PATH=/tmp", "--profile=/etc/passwd"])
    }

    @Test func aBundleFromElsewhereNeedsTrustForMoreThanTheAllowlist() throws {
        let path = try SearchPath()
        let words = ["bazel", "--host_jvm_args=-javaagent:/tmp/agent.jar", "--output_base=/o", "build", "--run_under=/tmp/x", "//..."]
        for provenance in [Self.elsewhere, Self.unnamed] {
            #expect(!provenance.isLocal)
            do {
                _ = try ReplayedCommand.fromBundle(words, file: "b/record.json", provenance: provenance, choice: path.choice())
                Issue.record("replayed without --trust-bundle")
            } catch {
                #expect(error.kind == .beyondAllowlist)
                #expect(error.reason.contains("--host_jvm_args=-javaagent:/tmp/agent.jar --run_under=/tmp/x"), "\(error.reason)")
                #expect(error.reason.contains("give --trust-bundle to replay them, or the command after --"))
            }
        }
        // Within the allowlists, a bundle from elsewhere runs.
        let plain = try ReplayedCommand.fromBundle(["bazel", "--output_base=/o", "build", "//..."], file: "r", provenance: Self.elsewhere, choice: path.choice())
        #expect(plain.invocation.words == [path.bazel, "--output_base=/o", "build", "//..."])
        // --trust-bundle replays the options; the program is still this machine's.
        let trusted = try ReplayedCommand.fromBundle(words, file: "r", provenance: Self.elsewhere, choice: path.choice(trust: true))
        #expect(trusted.invocation.words == [path.bazel] + words.dropFirst())
        #expect(trusted.trusted == ["--host_jvm_args=-javaagent:/tmp/agent.jar", "--run_under=/tmp/x"])
    }

    @Test func onlyBuildingTestingAndQueryingCommandsReplayWithoutTrust() throws {
        let path = try SearchPath()
        #expect(throws: ReplayedCommand.Refusal.self) {
            try ReplayedCommand.fromBundle(["bazel", "run", "//tools:wipe"], file: "r", provenance: Self.local, choice: path.choice())
        }
        let trusted = try ReplayedCommand.fromBundle(["bazel", "run", "//tools:x"], file: "r", provenance: Self.local, choice: path.choice(trust: true))
        #expect(trusted.invocation.command == "run")
    }

    @Test func theUsersOwnCommandRunsAsGiven() throws {
        let path = try SearchPath()
        let given = try #require(ReplayedCommand.fromUser(["./my-bazel", "--host_jvm_args=-javaagent:/x", "run", "//x"], choice: path.choice()))
        #expect(given.invocation.words == ["./my-bazel", "--host_jvm_args=-javaagent:/x", "run", "//x"])
        #expect(ReplayedCommand.fromUser(["bazel", "build"], choice: path.choice(bazel: "/opt/b"))?.invocation.binary == "/opt/b")
        #expect(ReplayedCommand.fromUser([], choice: path.choice()) == nil)
    }

    @Test func theWriterRecordsWhoRecorded() throws {
        let host = BundleWriter.describeHost()
        #expect(host.uid == getuid())
        var manifest = BundleManifest()
        manifest.host = host
        #expect(BundleProvenance.of(manifest).isLocal)
        let decoded = try JSONDecoder().decode(BundleManifest.self, from: Data(try JSONRenderer.render(manifest).utf8))
        #expect(decoded.host.uid == host.uid && decoded.host.user == host.user)
    }

    @Test func aFragmentsOptionsPassTheSameAllowlistsAndHeadroomsOwnPlanPasses() throws {
        let text = """
            startup --host_jvm_args=-Xmx2g
            startup --host_jvm_args=-javaagent:/tmp/agent.jar
            build --jobs=8 --run_under=/tmp/x
            test --local_test_jobs=2
            build --experimental_remote_merkle_tree_cache --local_ram_resources=2048 --local_resources=memory=2048
            """
        let settings = try VerifyPlan.settings(fromFragment: text, name: "f").settings
        #expect(settings.filter(CommandOptionAllowlist.allows).map(\.rcLine) == [
            "startup --host_jvm_args=-Xmx2g", "build --jobs=8", "test --local_test_jobs=2", "build --experimental_remote_merkle_tree_cache",
            "build --local_ram_resources=2048", "build --local_resources=memory=2048",
        ])
        // What `analyze --emit bazelrc` writes for the recorded Corpus bundles verifies as written.
        var count = 0
        for corpusCase in ["bazel-test-cgroup", "bazel-analysis-thrashing/bundle", "bazel-server-outside-scope/bundle", "bazel-test-oom-kill/bundle", "cgroup-oom-kill"] {
            var inputs = EvidenceInputs()
            inputs.bundles = [TestSupport.corpus.appendingPathComponent(corpusCase).path]
            let planned = AnalysisReport.make(inputs).plan.allSettings.map(\.setting)
            count += planned.count
            #expect(planned.filter { !CommandOptionAllowlist.allows($0) }.isEmpty, "\(corpusCase)")
        }
        #expect(count >= 10)
    }
}
