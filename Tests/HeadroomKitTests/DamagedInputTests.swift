import Foundation
import Testing
import HeadroomKit

/// Damaged copies of real logs: the parser must read them to the end without trapping
/// (overflowing figures, cut lines, stray brackets), and report what it could not read.
@Suite struct DamagedInputTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let insertions = [
        "99999999999999999999999999", "18446744073709551615", "-1", "[", "]", "(", ")", "->", "GC(", "K->",
        "[Full GC", "[GC (", "Pause Young (", "\u{0}", "\r", ",", ".", "secs]", "ms", "\u{FFFD}", "9223372036854775807M",
    ]

    static func mutate(_ line: Substring, using random: inout SplitMix) -> String {
        var text = String(line)
        switch random.next() % 5 {
        case 0:
            // Every figure becomes huge.
            text = text.replacingOccurrences(of: "[0-9]+", with: "99999999999999999999999", options: .regularExpression)
        case 1:
            let cut = text.isEmpty ? 0 : Int(random.next() % UInt64(text.count))
            text = String(text.prefix(cut))
        case 2:
            let insertion = insertions[Int(random.next() % UInt64(insertions.count))]
            let at = text.isEmpty ? 0 : Int(random.next() % UInt64(text.count))
            text.insert(contentsOf: insertion, at: text.index(text.startIndex, offsetBy: at))
        case 3:
            text = String(text.reversed())
        default:
            break
        }
        return text
    }

    static func sources() -> [URL] {
        var files = ["g1-steady/gc.log", "zgc-steady/gc.log", "shenandoah-steady/gc.log", "serial-steady/gc.log"]
            .map { TestSupport.corpus.appendingPathComponent($0) }
        for shared in [
            "GCViewer/openjdk/SampleSun1_7_0G1TenuringDistribution.txt", "garbagecat/dataset1.txt",
            "GCViewer/openjdk/SampleSun1_5_0CMS_PrintGCDetails.txt", "jifa/11ZGCParser.log",
        ] {
            files.append(TestSupport.sharedGCCorpus.appendingPathComponent(shared))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    @Test(arguments: sources())
    func damagedCopiesParseWithoutTrapping(source: URL) throws {
        let text = try String(decoding: Data(contentsOf: source), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let seed = source.lastPathComponent.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        var random = SplitMix(state: seed)
        let rounds = Int(ProcessInfo.processInfo.environment["HEADROOM_DAMAGE_ROUNDS"] ?? "") ?? 4
        for round in 0..<rounds {
            let damaged = lines.map { Self.mutate($0, using: &random) }.joined(separator: "\n")
            let summary = try TestSupport.analyze(damaged)
            #expect(summary.coverage.linesRead >= lines.count - 1, "round \(round)")
            _ = try JSONRenderer.render(summary)
            _ = GCTextRenderer.render(summary)
        }
    }
}
