import Foundation
import Testing
import HeadroomKit

/// No surprises on the user's disk: reading commands write nothing anywhere, `--output` writes
/// only its target and only with `--force` over an existing file, input files (a `.bazelrc`
/// above all) are never changed, and credentials in option values never reach a report.
@Suite(.enabled(if: HeadroomCLI.isBuilt, "build headroom first (swift build)"))
struct DiskSafetyTests {
    /// Every file under `folder` with its bytes and modification time.
    static func snapshot(_ folder: URL) throws -> [String: (Data, Date)] {
        var files: [String: (Data, Date)] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
            guard values.isRegularFile == true else { continue }
            files[url.path] = (try Data(contentsOf: url), values.contentModificationDate ?? .distantPast)
        }
        return files
    }

    static let corpus = TestSupport.corpus.path

    @Test func readingCommandsWriteNothingAndChangeNoInput() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let home = root.appendingPathComponent("home")
        let work = root.appendingPathComponent("work")
        let inputs = root.appendingPathComponent("inputs")
        for folder in [home, work, inputs] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for (name, source) in [
            ("gc.log", "g1-execution-growth-14g/gc.log"), ("analysis.log", "g1-analysis-live-500m/gc.log"),
            ("team.bazelrc", "remote-14g-story/team.bazelrc"), ("raise-heap.diff", "remote-14g-story/raise-heap.diff"),
            ("kernel.log", "bazel-test-oom-kill/kernel.log"),
        ] {
            try FileManager.default.copyItem(atPath: "\(Self.corpus)/\(source)", toPath: inputs.appendingPathComponent(name).path)
        }
        try FileManager.default.copyItem(atPath: "\(Self.corpus)/bazel-test-cgroup", toPath: inputs.appendingPathComponent("bundle").path)
        let before = try Self.snapshot(inputs)
        let i = inputs.path
        let evidence = ["--gc-log", "\(i)/gc.log", "--analysis-gc-log", "\(i)/analysis.log", "--bazelrc", "\(i)/team.bazelrc", "--oom", "\(i)/kernel.log", "\(i)/bundle"]
        var commands: [[String]] = [["gc", "\(i)/gc.log"], ["oom", "\(i)/kernel.log"], ["explain"], ["aggregate", "\(i)/bundle"]]
        for format in ["text", "json", "markdown", "html", "openmetrics", "prometheus"] { commands.append(["analyze"] + evidence + ["--format", format]) }
        for form in ["bazelrc", "systemd", "ci", "summary"] { commands.append(["analyze"] + evidence + ["--emit", form]) }
        commands.append(["review", "--diff", "\(i)/raise-heap.diff"] + evidence)
        for command in commands {
            let result = try HeadroomCLI.run(command, prefix: ["/usr/bin/env", "HOME=\(home.path)", "TMPDIR=\(home.path)"], in: work)
            #expect(result.status != nil && result.status! < 64, "\(command.prefix(2)): \(result.errors)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty, "nothing written in the working folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty, "nothing written in HOME or TMPDIR")
        let after = try Self.snapshot(inputs)
        #expect(Set(after.keys) == Set(before.keys), "no input file added or removed")
        for (path, (data, date)) in before {
            #expect(after[path]?.0 == data, "\(path) changed")
            #expect(after[path]?.1 == date, "\(path) was touched")
        }
    }

    @Test(arguments: [
        ["gc", "\(corpus)/g1-steady/gc.log"],
        ["analyze", "--gc-log", "\(corpus)/g1-steady/gc.log", "--format", "html"],
        ["review", "--proposed", "startup --host_jvm_args=-Xmx2g", "--gc-log", "\(corpus)/g1-steady/gc.log"],
        ["aggregate", "\(corpus)/bazel-test-cgroup"],
        ["oom", "\(corpus)/bazel-test-oom-kill/kernel.log"],
    ])
    func outputReplacesAFileOnlyWithForce(command: [String]) throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report with 'quotes' and $(spaces)").path
        try Data("the user's own file\n".utf8).write(to: URL(fileURLWithPath: target))
        let refused = try HeadroomCLI.run(command + ["--output", target], in: folder)
        #expect(refused.status == 3)
        #expect(refused.errors.contains(target))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "the user's own file\n")
        let forced = try HeadroomCLI.run(command + ["--output", target, "--force"], in: folder)
        #expect(forced.status == 0 || forced.status == 1 || forced.status == 10 || forced.status == 11, "\(forced.errors)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) != "the user's own file\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [(target as NSString).lastPathComponent], "no temporary file left")
        let nowhere = try HeadroomCLI.run(command + ["--output", folder.appendingPathComponent("missing/report").path], in: folder)
        #expect(nowhere.status == 3)
        #expect(nowhere.errors.contains("missing/report"))
    }

    @Test func credentialsInOptionValuesNeverReachAReport() throws {
        #expect(CredentialMasking.masked("grpcs://alice:s3cr3t@cache.example:443/x") == "grpcs://…@cache.example:443/x")
        #expect(CredentialMasking.masked("https://token@a.example https://b.example") == "https://…@a.example https://b.example")
        #expect(CredentialMasking.masked("grpc://cache.example:9092") == "grpc://cache.example:9092")
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rc = folder.appendingPathComponent("team.bazelrc")
        try Data("build --remote_cache=grpcs://alice:s3cr3t@cache.example:443\nbuild --remote_executor=grpcs://t0ken@exec.example\nbuild --jobs=200\n".utf8).write(to: rc)
        let evidence = ["analyze", "--bazelrc", rc.path, "--gc-log", "\(Self.corpus)/g1-steady/gc.log"]
        var outputs: [String] = []
        for format in ["text", "json", "markdown", "html", "openmetrics"] {
            outputs.append(try HeadroomCLI.run(evidence + ["--format", format], in: folder).output)
        }
        for form in ["bazelrc", "systemd", "ci"] { outputs.append(try HeadroomCLI.run(evidence + ["--emit", form], in: folder).output) }
        #expect(outputs.allSatisfy { !$0.isEmpty })
        for output in outputs {
            #expect(!output.contains("s3cr3t") && !output.contains("t0ken"))
        }
        #expect(outputs[0].contains("…@exec.example"), "the URL is still shown, without its user")
    }
}
