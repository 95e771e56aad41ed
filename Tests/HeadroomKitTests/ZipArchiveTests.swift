import Foundation
import Testing
import HeadroomKit

/// Zip archives made by Info-ZIP's `zip`, a real encoder independent of ours.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip"), "zip is not installed"))
struct ZipArchiveTests {
    @Test(arguments: ["-6", "-0"])
    func aZippedRotatedSetReadsLikeTheFiles(compression: String) throws {
        let rotated = TestSupport.corpus.appendingPathComponent("g1-rotated")
        let names = try FileManager.default.contentsOfDirectory(atPath: rotated.path).filter { $0.hasPrefix("gc.log") }.sorted()
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in names {
            try FileManager.default.copyItem(at: rotated.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let status = try TestSupport.run("/usr/bin/zip", ["-q", compression, "logs.zip"] + names.reversed(), in: directory)
        #expect(status == 0)
        let fromFiles = try GCLogAnalysis.run(paths: [rotated.path])
        let fromZip = try GCLogAnalysis.run(paths: [directory.appendingPathComponent("logs.zip").path])
        #expect(fromZip.pauseCount == fromFiles.pauseCount)
        #expect(fromZip.liveSet == fromFiles.liveSet)
        #expect(fromZip.segments.count == 1)
        #expect(fromZip.inputs.map { $0.path.components(separatedBy: ":").last! } == fromFiles.inputs.map { URL(fileURLWithPath: $0.path).lastPathComponent })
    }

    @Test func aDamagedArchiveIsAClearError() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = Data([0x50, 0x4b, 0x03, 0x04])
        bytes.append(Data(repeating: 7, count: 100))
        try bytes.write(to: directory.appendingPathComponent("broken.zip"))
        #expect(throws: InputError.self) { try GCLogAnalysis.run(paths: [directory.appendingPathComponent("broken.zip").path]) }
    }
}
