import Foundation
import Testing
import HeadroomKit

/// `--force` replaces a bundle only once the new one is closed: the old one is never emptied
/// first, and a complete old one outlives an incomplete new one as `NAME.previous`.
@Suite struct BundleReplacementTests {
    /// A bundle at `folder` whose `note.txt` says `text`, closed as `complete`.
    static func write(_ folder: String, _ text: String, complete: Bool, replace: Bool = true) throws -> BundleWriter.Placement {
        let writer = try BundleWriter(folder: folder, replace: replace)
        try Data(text.utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        writer.add("note.txt", kind: .other)
        return try writer.close(complete: complete)
    }

    static func note(_ folder: String) -> String? {
        try? String(contentsOfFile: folder + "/note.txt", encoding: .utf8)
    }

    @Test func theOldBundleStaysWholeUntilTheNewOneIsClosed() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)

        let writer = try BundleWriter(folder: folder, replace: true)
        try Data("new".utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        writer.add("note.txt", kind: .other)
        // While the new bundle is written, the old one is whole, and the new one is hidden beside it.
        #expect(Self.note(folder) == "old")
        #expect(MeasuringFaults.manifest(folder)?.complete == true)
        #expect((writer.workingFolder as NSString).deletingLastPathComponent == root.path)
        #expect((writer.workingFolder as NSString).lastPathComponent.hasPrefix("."))

        let placement = try writer.close(complete: true)
        #expect(Self.note(folder) == "new")
        #expect(placement == BundleWriter.Placement(path: folder, complete: true, previousKeptAt: nil))
        // Nothing left beside it: not the working folder, not the old bundle.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }

    @Test func anIncompleteRunKeepsACompleteOldBundleBeside() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        let placement = try Self.write(folder, "cut short", complete: false)

        #expect(Self.note(folder) == "cut short")
        #expect(MeasuringFaults.manifest(folder)?.complete == false)
        #expect(placement.previousKeptAt == folder + ".previous")
        #expect(Self.note(folder + ".previous") == "old")
        #expect(MeasuringFaults.manifest(folder + ".previous")?.complete == true)

        // The next complete run replaces the incomplete one and leaves the kept one alone.
        _ = try Self.write(folder, "newest", complete: true)
        #expect(Self.note(folder) == "newest")
        #expect(Self.note(folder + ".previous") == "old")
    }

    @Test func anIncompleteOldBundleIsSimplyReplaced() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "first, cut short", complete: false)
        let placement = try Self.write(folder, "second, cut short", complete: false)
        #expect(Self.note(folder) == "second, cut short")
        #expect(placement.previousKeptAt == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }

    @Test func aRunThatNeverClosesLeavesTheOldBundleWhole() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        // As a process killed outright: the writer is dropped without closing.
        do {
            let writer = try BundleWriter(folder: folder, replace: true)
            try Data("never finished".utf8).write(to: URL(fileURLWithPath: writer.path(of: "note.txt")))
        }
        #expect(Self.note(folder) == "old")
        let contents = try BundleReader.read(folder)
        #expect(contents.manifest.complete)
        #expect(contents.problems.isEmpty)
    }

    @Test func withoutForceAnExistingBundleIsRefusedAndUntouched() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("bundle").path
        _ = try Self.write(folder, "old", complete: true)
        #expect(throws: BundleWriter.WriteError.self) { try Self.write(folder, "new", complete: true, replace: false) }
        #expect(Self.note(folder) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["bundle"])
    }
}
