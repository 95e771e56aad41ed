import Foundation
import Testing
import HeadroomKit

/// One exit-status table: distinct numbers, and the README's copy in step with the code.
@Suite struct ExitStatusTests {
    @Test func everyStatusIsDistinctAndInTheShellRange() {
        let numbers = ExitStatus.allCases.map(\.rawValue)
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { (0...255).contains($0) })
    }

    @Test func theReadmeTableListsEveryStatusAsTheCodeDoes() throws {
        let readme = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.split(separator: "## Exit status\n").dropFirst().first, "README has no Exit status section")
        let table = section.components(separatedBy: "\n\n").dropFirst().first ?? ""
        let expected = (["| status | meaning |", "|---|---|"] + ExitStatus.allCases.map { "| \($0.rawValue) | \($0.meaning) |" }).joined(separator: "\n")
        #expect(table == expected)
    }

    @Test func verdictsEndWithTheirOwnStatuses() {
        #expect(ReviewVerdict.Verdict.justified.exitStatus == .success)
        #expect(ReviewVerdict.Verdict.notJustified.exitStatus == .reviewNotJustified)
        #expect(VerifyReport.Verdict.tooTight.exitStatus == .verifyTooTight)
    }
}
