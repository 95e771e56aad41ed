import Foundation
import Testing
import HeadroomKit

/// Broken and hostile inputs given to the real command line: each must give a clear message
/// naming the file (and the line, where there is one), a non-zero exit when the result is
/// unusable, and a result marked partial when it is usable — never a crash, a hang or silence.
@Suite(.enabled(if: HeadroomCLI.isBuilt, "build headroom first (swift build)"))
struct HostileInputTests {
    static let steadyLog = TestSupport.corpus.appendingPathComponent("g1-steady/gc.log")
    static let leakLog = TestSupport.corpus.appendingPathComponent("g1-leak/gc.log")
    static let samples = TestSupport.corpus.appendingPathComponent("bazel-test-cgroup/samples.jsonl")

    /// A folder of damaged copies of real Corpus inputs, made afresh for each test.
    final class Inputs {
        let folder: URL
        let log: Data

        init() throws {
            folder = try TestSupport.temporaryDirectory()
            log = try Data(contentsOf: HostileInputTests.steadyLog)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        @discardableResult
        func write(_ name: String, _ data: Data) throws -> String {
            try data.write(to: folder.appendingPathComponent(name))
            return name
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// Runs `headroom` in the folder.
        func headroom(_ arguments: String...) throws -> HeadroomCLI.Result {
            try HeadroomCLI.run(arguments, in: folder)
        }
    }

    /// The JSON report of `gc` on a file of the folder.
    static func gcFigures(_ inputs: Inputs, _ name: String) throws -> [String: Any] {
        let result = try inputs.headroom("gc", "--format", "json", name)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try #require(object as? [String: Any])
    }

    /// Random bytes from a fixed seed, so a failure can be replayed.
    static func noise(count: Int) -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        })
    }

    // MARK: Compressed input cut short or damaged

    @Test func truncatedGzipKeepsWhatCameBeforeAndSaysPartial() throws {
        let inputs = try Inputs()
        let gzip = try TestSupport.gzip(inputs.log)
        try inputs.write("cut.gz", gzip.prefix(gzip.count * 2 / 3))
        let gc = try inputs.headroom("gc", "cut.gz")
        #expect(gc.status == 1)
        #expect(gc.output.contains("PARTIAL"))
        #expect(gc.output.contains("cut.gz: gzip stream is truncated"))
        #expect(gc.output.contains("Live set"))
        let analyze = try inputs.headroom("analyze", "--gc-log", "cut.gz")
        #expect(analyze.status == 1)
        #expect(analyze.output.contains("PARTIAL"))
    }

    @Test func corruptGzipStopsAtTheDamageAndSaysWhere() throws {
        let inputs = try Inputs()
        var gzip = try TestSupport.gzip(inputs.log)
        let middle = gzip.count / 2
        gzip.replaceSubrange(middle..<(middle + 16), with: Data(repeating: 0xFF, count: 16))
        try inputs.write("corrupt.gz", gzip)
        let gc = try inputs.headroom("gc", "corrupt.gz")
        #expect(gc.status == 1)
        #expect(gc.output.contains("corrupt.gz: compressed data is corrupt near compressed byte"))
        #expect(try Self.gcFigures(inputs, "corrupt.gz")["pauseCount"] as? Int ?? 0 > 0)
    }

    // MARK: Not the kind of file asked for

    @Test func aBinaryFileIsNamedAsNoLogOfTheKindAsked() throws {
        let inputs = try Inputs()
        try inputs.write("binary.bin", Self.noise(count: 200_000))
        let gc = try inputs.headroom("gc", "binary.bin")
        #expect(gc.status == 4)
        #expect(gc.errors.contains("binary.bin: not a GC log"))
        #expect(gc.errors.contains("binary.bin:1"))
        for (option, message) in [
            ("--gc-log", "not a GC log"), ("--samples", "no readable sample"), ("--oom", "not a kernel log"),
            ("--profile", "not a JSON trace profile"), ("--bazelrc", "binary.bin:"),
        ] {
            let analyze = try inputs.headroom("analyze", option, "binary.bin")
            #expect(analyze.status == 3, "\(option)")
            #expect(analyze.errors.contains(message), "\(option): \(analyze.errors)")
        }
        #expect(try inputs.headroom("oom", "binary.bin").status == 1)
    }

    @Test func controlCharactersFromALogNeverReachTheTerminal() throws {
        let inputs = try Inputs()
        // A title change, a screen clear, a bell, a backspace and a NUL, in a line the report
        // quotes as not understood.
        let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2Jhidden\u{08}\u{0}\n"
        try inputs.write("hostile.log", inputs.log + Data(hostile.utf8))
        for format in ["text", "json"] {
            let gc = try inputs.headroom("gc", "--format", format, "hostile.log")
            #expect(gc.status == 0)
            let controls = gc.outputBytes.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 }
            #expect(controls.isEmpty, "\(format) output carries control bytes \(controls)")
            if format == "text" { #expect(gc.output.contains("␛]0;owned␇␛[2Jhidden␈␀")) }
        }
    }

    // MARK: Line ends, bytes and number formats

    static let variants: [(name: String, change: @Sendable (Data) -> Data)] = [
        ("crlf", { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8) }),
        ("mixed line ends", { data in
            var out = Data()
            for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                out += line + (index % 3 == 0 ? [0x0D, 0x0A] : index % 3 == 1 ? [0x0D] : [0x0A])
            }
            return out
        }),
        ("NUL bytes", { data in
            let cut = data.firstIndex(of: 0x0A)! + 1
            return data.prefix(cut) + Data(repeating: 0, count: 100) + Data([0x0A]) + data.suffix(from: cut)
        }),
        ("invalid UTF-8", { data in
            let cut = data.firstIndex(of: 0x0A)! + 1
            return data.prefix(cut) + Data([0xFF, 0xFE, 0xC3, 0x28, 0x0A]) + data.suffix(from: cut)
        }),
        ("comma decimals", { data in
            let text = String(decoding: data, as: UTF8.self)
            return Data(text.replacingOccurrences(of: "([0-9])\\.([0-9])", with: "$1,$2", options: .regularExpression).utf8)
        }),
        ("a 50 MB line first", { data in Data(repeating: UInt8(ascii: "x"), count: 50 << 20) + Data([0x0A]) + data }),
    ]

    @Test(arguments: variants.indices)
    func damagedCopiesGiveTheSameFigures(variant: Int) throws {
        let (name, change) = Self.variants[variant]
        let inputs = try Inputs()
        try inputs.write("original.log", inputs.log)
        try inputs.write("variant.log", change(inputs.log))
        let original = try Self.gcFigures(inputs, "original.log")
        let damaged = try Self.gcFigures(inputs, "variant.log")
        for key in ["pauseCount", "fullGCCount"] {
            #expect(damaged[key] as? Int == original[key] as? Int, "\(name): \(key)")
        }
        let originalLive = (original["liveSet"] as? [String: Any])?["peakBytes"] as? Int
        #expect(originalLive != nil)
        #expect((damaged["liveSet"] as? [String: Any])?["peakBytes"] as? Int == originalLive, "\(name)")
        let gc = try inputs.headroom("gc", "variant.log")
        #expect(gc.status == 0, "\(name): \(gc.errors)")
        if name.hasPrefix("a 50 MB") { #expect(gc.output.contains("1 overlong lines were cut")) }
    }

    @Test func aFiftyMegabyteLineAloneIsNoGCLog() throws {
        let inputs = try Inputs()
        try inputs.write("long.log", Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
        let gc = try inputs.headroom("gc", "long.log")
        #expect(gc.status == 4)
        #expect(gc.errors.contains("long.log: not a GC log: 0 of 1 lines"))
        #expect(gc.output.contains("1 overlong lines were cut"))
    }

    @Test func figuresBeyondInt64AndNegativeSizesAreShownNotUsed() throws {
        let inputs = try Inputs()
        let text = String(decoding: inputs.log, as: UTF8.self)
        func damage(_ replacement: String) -> Data {
            Data(text.replacingOccurrences(of: " ([0-9]+)M->([0-9]+)M\\(", with: replacement, options: .regularExpression).utf8)
        }
        try inputs.write("overflow.log", damage(" 99999999999999999999M->9223372036854775807M("))
        try inputs.write("negative.log", damage(" -$1M->-$2M("))
        let pauses = try #require(try Self.gcFigures(inputs, "overflow.log")["pauseCount"] as? Int)
        #expect(pauses == 0, "no pause with impossible sizes is used")
        for name in ["overflow.log", "negative.log"] {
            let gc = try inputs.headroom("gc", name)
            #expect(gc.status == 4)
            #expect(gc.output.contains("Unrecognised lines"))
            #expect(gc.output.contains("\(name):"))
        }
        // Samples: a negative size or a size beyond Int64 skips the line, named.
        let sampleLines = try String(contentsOf: Self.samples, encoding: .utf8).split(separator: "\n").prefix(30)
        let negative = sampleLines.map { $0.replacingOccurrences(of: "\"rssBytes\":", with: "\"rssBytes\":-") }.joined(separator: "\n")
        try inputs.write("negative.jsonl", Data(negative.utf8))
        let analyze = try inputs.headroom("analyze", "--samples", "negative.jsonl")
        #expect(analyze.status == 3)
        #expect(analyze.errors.contains("negative.jsonl:2"))
        #expect(analyze.errors.contains("is negative"))
    }

    // MARK: Several JVMs, rotated sets

    @Test func uptimeGoingBackIsARestartNotDamage() throws {
        let inputs = try Inputs()
        try inputs.write("two-runs.log", inputs.log + (try Data(contentsOf: Self.leakLog)))
        let gc = try inputs.headroom("gc", "two-runs.log")
        #expect(gc.status == 0)
        #expect(gc.output.contains("2 JVM runs"))
        #expect(!gc.output.contains("PARTIAL"))
    }

    @Test func twoJVMsWritingOneLogAtOnceAreFlagged() throws {
        let inputs = try Inputs()
        // Two JVMs started together and writing one file: their lines in uptime order.
        func stamped(_ data: Data) -> [(Double, Substring)] {
            var last = 0.0
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
                if let range = line.range(of: "\\]\\[[0-9]+\\.[0-9]+s\\]", options: .regularExpression) {
                    last = Double(line[range].dropFirst(2).dropLast(2)) ?? last
                }
                return (last, line)
            }
        }
        let merged = (stamped(inputs.log) + stamped(try Data(contentsOf: Self.leakLog))).enumerated()
            .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { String($0.element.1) }
        try inputs.write("together.log", Data((merged.joined(separator: "\n") + "\n").utf8))
        let gc = try inputs.headroom("gc", "together.log")
        #expect(gc.status == 1)
        #expect(gc.output.contains("two or more JVMs wrote into this log"))
        #expect(gc.output.contains("together.log:"))
        // Each log alone is one JVM, not flagged.
        try inputs.write("one.log", inputs.log)
        #expect(try inputs.headroom("gc", "one.log").status == 0)
    }

    @Test func aRotatedFileLeftOutIsNamed() throws {
        let inputs = try Inputs()
        let set = TestSupport.corpus.appendingPathComponent("g1-rotated")
        try FileManager.default.createDirectory(at: inputs.folder.appendingPathComponent("set"), withIntermediateDirectories: true)
        for name in ["gc.log", "gc.log.0", "gc.log.2", "gc.log.3"] {
            try inputs.write("set/\(name)", try Data(contentsOf: set.appendingPathComponent(name)))
        }
        let gc = try inputs.headroom("gc", "set")
        #expect(gc.status == 1)
        #expect(gc.output.contains("set/gc.log.2:"))
        #expect(gc.output.contains("collections are missing"))
        try inputs.write("set/gc.log.1", try Data(contentsOf: set.appendingPathComponent("gc.log.1")))
        #expect(try inputs.headroom("gc", "set").status == 0, "the whole set has no gap")
    }

    // MARK: Empty files, folders, devices, FIFOs, unreadable files

    @Test func emptyFilesSayTheyAreEmpty() throws {
        let inputs = try Inputs()
        try inputs.write("empty", Data())
        let gc = try inputs.headroom("gc", "empty")
        #expect(gc.status == 4)
        #expect(gc.errors.contains("empty: is empty"))
        for option in ["--gc-log", "--samples", "--oom"] {
            let analyze = try inputs.headroom("analyze", option, "empty")
            #expect(analyze.status == 3, "\(option)")
            #expect(analyze.errors.contains("empty: is empty"), "\(option): \(analyze.errors)")
        }
        let oom = try inputs.headroom("oom", "empty")
        #expect(oom.status == 1)
        #expect(oom.errors.contains("cannot show whether anything was OOM-killed"))
    }

    @Test func foldersAndDevicesGivenAsFilesAreRefused() throws {
        let inputs = try Inputs()
        try FileManager.default.createDirectory(at: inputs.folder.appendingPathComponent("folder"), withIntermediateDirectories: true)
        #expect(try inputs.headroom("gc", "folder").errors.contains("folder: directory holds no log files"))
        for option in ["--samples", "--oom", "--profile", "--bazelrc"] {
            let analyze = try inputs.headroom("analyze", option, "folder")
            #expect(analyze.status == 3, "\(option)")
            #expect(analyze.errors.contains("folder"), "\(option): \(analyze.errors)")
        }
        for option in ["--gc-log", "--samples", "--oom", "--profile", "--bazelrc"] {
            let analyze = try inputs.headroom("analyze", option, "/dev/zero")
            #expect(analyze.status == 3, "\(option)")
            #expect(analyze.errors.contains("/dev/zero: is"), "\(option): \(analyze.errors)")
        }
    }

    @Test func aFIFOIsReadWhenItsWriterComesAndRefusedWhenNoneDoes() throws {
        let inputs = try Inputs()
        let fifo = inputs.path("gc.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: InputError.self) { try FileChunkReader(path: fifo, writerWait: 0.3) }
        do {
            _ = try FileChunkReader(path: fifo, writerWait: 0.3)
        } catch {
            #expect(error.reason.contains("FIFO nobody wrote to"))
        }
        let log = inputs.log
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(log)
                try? handle.close()
            }
        }
        writer.start()
        let gc = try inputs.headroom("gc", "gc.fifo")
        #expect(gc.status == 0)
        #expect(gc.output.contains("Live set"))
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root and setpriv to run as another user"))
    func unreadableFilesAreNamedWithTheCause() throws {
        let inputs = try Inputs()
        #expect(chmod(inputs.folder.path, 0o755) == 0)
        for name in ["secret.log", "secret.jsonl", "secret.dmesg", "secret.bazelrc"] {
            try inputs.write(name, inputs.log)
            #expect(chmod(inputs.path(name), 0o600) == 0)
        }
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let gc = try HeadroomCLI.run(["gc", inputs.path("secret.log")], prefix: asNobody, in: inputs.folder)
        #expect(gc.status == 3)
        #expect(gc.errors.contains("secret.log: permission denied"))
        for (option, name) in [("--gc-log", "secret.log"), ("--samples", "secret.jsonl"), ("--oom", "secret.dmesg"), ("--bazelrc", "secret.bazelrc")] {
            let analyze = try HeadroomCLI.run(["analyze", option, inputs.path(name)], prefix: asNobody, in: inputs.folder)
            #expect(analyze.status == 3, "\(option)")
            #expect(analyze.errors.contains(name) && analyze.errors.contains("permission denied"), "\(option): \(analyze.errors)")
        }
    }

    // MARK: Bundles

    @Test func aBundleWithMissingExtraOrDamagedFilesKeepsTheRest() throws {
        let inputs = try Inputs()
        let source = TestSupport.corpus.appendingPathComponent("bazel-test-cgroup")
        let bundle = inputs.folder.appendingPathComponent("bundle")
        try FileManager.default.copyItem(at: source, to: bundle)
        try FileManager.default.removeItem(at: bundle.appendingPathComponent("gc.log"))
        try inputs.write("bundle/notes.txt", Data("mine\n".utf8))
        try inputs.write("bundle/record.json", Data("{\"exitStatus\": \"zero\"".utf8))
        let analyze = try inputs.headroom("analyze", "bundle")
        #expect(analyze.status == 1)
        #expect(analyze.errors.contains("bundle/gc.log: listed in the manifest but missing"))
        #expect(analyze.errors.contains("bundle/record.json: not a valid RecordFacts file"))
        #expect(analyze.output.contains("bundle/notes.txt: not in the bundle's manifest; ignored"))
        #expect(analyze.output.contains("samples: bundle/samples.jsonl"), "the samples are still read")
        #expect(analyze.output.contains("trace profile: bundle/command.profile.gz"), "the profile is still read")

        try FileManager.default.removeItem(at: bundle.appendingPathComponent("bundle.json"))
        let withoutManifest = try inputs.headroom("analyze", "bundle")
        #expect(withoutManifest.status == 1)
        #expect(withoutManifest.errors.contains("bundle/bundle.json: missing; the bundle was cut short"))
        #expect(withoutManifest.output.contains("samples: bundle/samples.jsonl"))
    }
}
