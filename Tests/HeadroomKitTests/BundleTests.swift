import Foundation
import Testing
import HeadroomKit

/// The bundle format: written whole or marked cut short, read forgivingly.
@Suite struct BundleTests {
    @Test func aWrittenBundleReadsBack() throws {
        let folder = try TestSupport.temporaryDirectory().appendingPathComponent("bundle").path
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let writer = try BundleWriter(folder: folder, replace: false)
        try writer.copy(TestSupport.corpus.appendingPathComponent("g1-steady/gc.log").path, as: "gc.log", kind: .gcLog)
        try Data("{\"record\":\"header\"}\n".utf8).write(to: URL(fileURLWithPath: writer.path(of: "samples.jsonl")))
        writer.add("samples.jsonl", kind: .samples)
        writer.update { $0.command = ["bazel", "build", "//..."] }
        try writer.close(complete: true)

        let contents = try BundleReader.read(folder)
        #expect(contents.problems.isEmpty)
        #expect(contents.manifest.complete)
        #expect(contents.manifest.command == ["bazel", "build", "//..."])
        #expect(contents.paths(of: .gcLog).count == 1)
        #expect(contents.manifest.files.first { $0.kind == .gcLog }?.bytes ?? 0 > 1000)
        #expect((contents.manifest.host.memoryBytes ?? 0) > 0)
        let summary = try GCLogAnalysis.run(paths: contents.paths(of: .gcLog))
        #expect(summary.pauseCount > 0)
    }

    @Test func newerFieldsAreIgnoredAndMissingFilesReported() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = """
            {"format":"headroom-bundle","formatVersion":3,"complete":true,"somethingNew":{"a":1},
             "files":[{"path":"gc.log","kind":"gc-log"},{"path":"trace.bin","kind":"a-new-kind"},{"path":"../escape","kind":"other"}]}
            """
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("bundle.json"))
        let contents = try BundleReader.read(folder.path)
        #expect(contents.manifest.files.map(\.kind) == [.gcLog, .other, .other])
        #expect(contents.problems.contains { $0.contains("newer") })
        #expect(contents.problems.contains { $0.contains("gc.log: listed in the manifest but missing") })
        #expect(contents.problems.contains { $0.contains("leaves the bundle") })
        #expect(contents.paths(of: .gcLog).isEmpty)
    }

    @Test func aBundleWithoutManifestIsIncompleteButReadable() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: TestSupport.corpus.appendingPathComponent("g1-steady/gc.log"), to: folder.appendingPathComponent("gc.log"))
        let contents = try BundleReader.read(folder.path)
        #expect(!contents.manifest.complete)
        #expect(contents.problems.contains { $0.contains("missing; the bundle was cut short") })
        #expect(contents.paths(of: .gcLog).count == 1)
    }

    @Test func aFolderOfOtherThingsIsNeverReplaced() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("precious".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect(throws: BundleWriter.WriteError.self) { try BundleWriter(folder: folder.path, replace: false) }
        #expect(throws: BundleWriter.WriteError.self) { try BundleWriter(folder: folder.path, replace: true) }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
    }

    @Test func md5MatchesTheReferenceVectors() {
        // RFC 1321 test suite.
        #expect(MD5.hexDigest(of: []) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hexDigest(of: Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hexDigest(of: Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
            == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func theServerIsFoundFromItsPIDFile() throws {
        let outputBase = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputBase) }
        let locator = BazelServerLocator(outputBase: outputBase.path)
        #expect(locator.serverPID() == nil)
        try FileManager.default.createDirectory(at: outputBase.appendingPathComponent("server"), withIntermediateDirectories: true)
        let pidFile = outputBase.appendingPathComponent("server/server.pid.txt")
        try Data("\(ProcessInfo.processInfo.processIdentifier)\n".utf8).write(to: pidFile)
        #expect(locator.serverPID() == Int(ProcessInfo.processInfo.processIdentifier))
        try Data("999999999".utf8).write(to: pidFile)
        #expect(locator.serverPID() == nil)
        let byWorkspace = BazelServerLocator(workspace: "/tmp/some/workspace", user: "dev", home: "/home/dev")
        #expect(byWorkspace.outputBase == "/home/dev/.cache/bazel/_bazel_dev/9361800ca19866e1a6495ce9d94bbc45")
    }
}
