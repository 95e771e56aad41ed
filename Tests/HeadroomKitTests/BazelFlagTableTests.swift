import Foundation
import Testing
import HeadroomKit

/// The flag table against the reference TSV it was transcribed from, and the facts the advice relies on.
@Suite struct BazelFlagTableTests {
    /// The reference facts, beside the repository; the row check is skipped when they are absent.
    static let referenceTSV = TestSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/bazel-flags.tsv")
    static let referenceExists = FileManager.default.fileExists(atPath: referenceTSV.path)

    static func release(_ text: String) -> BazelRelease {
        text == "head" ? .head : BazelRelease(text)
    }

    /// `6.0.0:false 8.0.0:true`, `9.0.0: head:(multi)`: a value runs to the next ` RELEASE:`.
    static func defaults(_ history: String) -> [BazelFlagFact.Default] {
        let marker = /(?:^| )(\d+\.\d+\.\d+|head):/
        let matches = history.matches(of: marker)
        return matches.enumerated().map { index, match in
            let end = index + 1 < matches.count ? matches[index + 1].range.lowerBound : history.endIndex
            return BazelFlagFact.Default(release(String(match.output.1)), String(history[match.range.upperBound..<end]))
        }
    }

    @Test(.enabled(if: referenceExists, "shared/reference/bazel-flags.tsv is not beside the repository; row check skipped"))
    func everyReferenceRowIsInTheTable() throws {
        let text = try String(contentsOf: Self.referenceTSV, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == BazelFlagTable.facts.count)
        #expect(Set(BazelFlagTable.facts.map(\.flag)).count == BazelFlagTable.facts.count)
        for row in rows {
            try #require(row.count == 6, "malformed row \(row)")
            let fact = try #require(BazelFlagTable.fact(for: row[0]), "\(row[0]) missing from the table")
            #expect(fact.kind.rawValue == row[1], "\(row[0])")
            #expect(fact.firstDocumented == Self.release(row[2]), "\(row[0])")
            #expect(fact.lastDocumented == Self.release(row[3]), "\(row[0])")
            #expect(fact.firstAbsent == (row[4].isEmpty ? nil : Self.release(row[4])), "\(row[0])")
            #expect(fact.defaults == Self.defaults(row[5]), "\(row[0])")
            // The table's answers agree with the row at its boundaries.
            if case .numbered = fact.firstDocumented {
                #expect(BazelFlagTable.availability(of: row[0], in: fact.firstDocumented).isUsable, "\(row[0])")
            }
            if let absent = fact.firstAbsent {
                if case .numbered = absent {
                    #expect(BazelFlagTable.availability(of: row[0], in: absent) == .removed(since: absent), "\(row[0])")
                }
                #expect(BazelFlagTable.availability(of: row[0], in: fact.lastDocumented).isUsable, "\(row[0])")
            }
        }
    }

    @Test func merkleTreeCacheExistsUntil8AndIsRemovedIn9() {
        let flag = "experimental_remote_merkle_tree_cache"
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("7.4.0")) == .available(default: "false"))
        #expect(BazelFlagTable.availability(of: "--\(flag)", in: BazelRelease("8.1.0")) == .available(default: "false"))
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("9.0.0")) == .removed(since: .version(9, 0, 0)))
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("9.0.0rc2")) == .removed(since: .version(9, 0, 0)))
        #expect(BazelFlagTable.availability(of: "\(flag)_size=5000", in: BazelRelease("release 8.7.0")) == .available(default: "1000"))
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("5.4.1")) == .assumedAvailable(default: "false"))
    }

    @Test func gcThrashingThresholdArrivesIn7() {
        #expect(BazelFlagTable.availability(of: "gc_thrashing_threshold", in: BazelRelease("6.5.0")) == .notYetAdded)
        #expect(BazelFlagTable.availability(of: "gc_thrashing_threshold", in: BazelRelease("7.0.0")) == .available(default: "100"))
        #expect(BazelFlagTable.availability(of: "experimental_oom_more_eagerly_threshold", in: BazelRelease("6.5.0")) == .available(default: "100"))
        #expect(BazelFlagTable.availability(of: "experimental_oom_more_eagerly_threshold", in: BazelRelease("7.0.0")) == .removed(since: .version(7, 0, 0)))
        #expect(BazelFlagTable.renames["experimental_oom_more_eagerly_threshold"]?.newName == "gc_thrashing_threshold")
    }

    @Test func localRAMResourcesRemovedIn9() {
        #expect(BazelFlagTable.availability(of: "local_ram_resources", in: BazelRelease("8.7.0")) == .available(default: "HOST_RAM*.67"))
        #expect(BazelFlagTable.availability(of: "local_ram_resources", in: BazelRelease("9.0.0")) == .removed(since: .version(9, 0, 0)))
        #expect(BazelFlagTable.availability(of: "local_resources", in: BazelRelease("7.0.1")) == .notYetAdded)
        #expect(BazelFlagTable.availability(of: "local_resources", in: BazelRelease("7.1.0")) == .available(default: nil))
    }

    @Test func defaultsFollowTheRelease() {
        let flag = "experimental_remote_discard_merkle_trees"
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("6.0.0")) == .notYetAdded)
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("7.6.1")) == .available(default: "false"))
        #expect(BazelFlagTable.availability(of: flag, in: BazelRelease("8.0.0")) == .available(default: "true"))
        #expect(BazelFlagTable.availability(of: "remote_download_outputs", in: BazelRelease("7.0.0")) == .available(default: "toplevel"))
        #expect(BazelFlagTable.availability(of: "experimental_use_compact_object_headers", in: BazelRelease("9.1.0")) == .notYetAdded)
        #expect(BazelFlagTable.availability(of: "experimental_use_compact_object_headers", in: .head) == .available(default: "true"))
        // Gone from the development docs after 9.1: later release lines lack it.
        let cgroups = "incompatible_use_new_cgroup_implementation"
        #expect(BazelFlagTable.availability(of: cgroups, in: BazelRelease("9.1.0")) == .available(default: "true"))
        #expect(BazelFlagTable.availability(of: cgroups, in: .head) == .removed(since: .head))
        #expect(BazelFlagTable.availability(of: cgroups, in: BazelRelease("9.2.0")) == .removed(since: .head))
    }

    @Test func unknownFlagsAndReleases() {
        #expect(BazelFlagTable.availability(of: "no_such_flag", in: BazelRelease("8.0.0")) == .unknownFlag)
        #expect(BazelFlagTable.availability(of: "jobs", in: BazelRelease("development version")) == .unknownRelease)
    }

    @Test func releasesParseAndOrder() {
        #expect(BazelRelease("7.1.2") == .version(7, 1, 2))
        #expect(BazelRelease("release 6.4.0") == .version(6, 4, 0))
        #expect(BazelRelease("8.0.0rc1") == .numbered(major: 8, minor: 0, patch: 0, prerelease: "rc1"))
        #expect(BazelRelease("8.0.0-pre.20240101.1") == .numbered(major: 8, minor: 0, patch: 0, prerelease: "pre.20240101.1"))
        #expect(BazelRelease("7.4") == .version(7, 4, 0))
        #expect(BazelRelease("development version") == .unknown("development version"))
        #expect(!BazelRelease("").isKnown)
        #expect(!BazelRelease("7..1").isKnown)
        #expect(BazelRelease("8.0.0rc1") < BazelRelease("8.0.0"))
        #expect(BazelRelease("8.0.0rc1") < BazelRelease("8.0.0rc2"))
        #expect(BazelRelease("7.10.0") > BazelRelease("7.9.1"))
        #expect(BazelRelease("9.1.0") < .head)
        #expect(BazelRelease("8.0.0rc1").final == .version(8, 0, 0))
        #expect(BazelRelease("8.0.0rc1").description == "8.0.0rc1")
    }

    @Test func bazelInfoSizesAreDecimalMegabytes() {
        // The recorded server's GC log says `Heap Max Capacity: 6028M` (MiB); bazel info printed 6320MB.
        #expect(BazelInfoSize.bytes("6320MB") == 6_320_000_000)
        #expect(abs(Double(BazelInfoSize.bytes("6320MB")!) - 6028 * 1_048_576) < 1_000_000)
        #expect(BazelInfoSize.bytes("unknown") == nil)
        #expect(BazelInfoSize.bytes(nil) == nil)
        #expect(BazelInfoSize.bytes("99999999999999MB") == nil)
    }
}
