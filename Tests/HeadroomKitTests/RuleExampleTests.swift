import Foundation
import Testing
import HeadroomKit

/// Runs every rule's examples: triggering ones must produce a finding that says what the example
/// expects, quiet ones none. A failure points at the example's line in the rule's own file.
@Suite struct RuleExampleTests {
    @Test(arguments: RuleRegistry.allExamples)
    func example(_ labelled: RuleRegistry.LabelledExample) {
        let example = labelled.example
        let location = Testing.SourceLocation(
            fileID: "HeadroomKit/\((example.file as NSString).lastPathComponent)", filePath: example.file, line: example.line, column: 1)
        let findings = labelled.rule.init().evaluate(example.facts)
        if labelled.triggers {
            if findings.isEmpty {
                Issue.record("\(labelled.rule.description.identifier) found nothing in \(example.name)", sourceLocation: location)
            }
        } else if !findings.isEmpty {
            Issue.record("\(labelled.rule.description.identifier) should stay quiet on \(example.name) but said: \(findings.map(\.summary))", sourceLocation: location)
        }
        let text = findings.map(\.searchableText).joined(separator: "\n")
        for expected in example.expecting where !text.contains(expected) {
            Issue.record("\(example.name): expected \"\(expected)\" in:\n\(text)", sourceLocation: location)
        }
        for rejected in example.rejecting where text.contains(rejected) {
            Issue.record("\(example.name): \"\(rejected)\" must not appear in:\n\(text)", sourceLocation: location)
        }
        for finding in findings {
            if finding.rule != labelled.rule.description.identifier {
                Issue.record("finding names rule \(finding.rule), not its own", sourceLocation: location)
            }
        }
    }

    @Test func identifiersAreUniqueAndWellFormed() {
        let identifiers = RuleRegistry.rules.map { $0.description.identifier }
        #expect(Set(identifiers).count == identifiers.count)
        for identifier in identifiers {
            #expect(identifier.wholeMatch(of: /[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*/) != nil, "\(identifier)")
        }
    }

    @Test func everyRuleHasBothKindsOfExample() {
        for rule in RuleRegistry.rules {
            #expect(!rule.description.triggeringExamples.isEmpty, "\(rule.description.identifier) has no triggering example")
            #expect(!rule.description.nonTriggeringExamples.isEmpty, "\(rule.description.identifier) has no quiet example")
            #expect(!rule.description.rationale.isEmpty)
        }
    }

    /// A rule written but left out of the registry would never run: every type that conforms
    /// to `Rule` in the rules' sources must be listed, and nothing else.
    @Test func everyRuleTypeIsRegistered() throws {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("Sources/HeadroomRules")
        var declared: Set<String> = []
        let walker = try #require(FileManager.default.enumerator(atPath: folder.path))
        for case let path as String in walker where path.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            for match in text.matches(of: /(?m)^(?:public |package )?(?:final )?(?:struct|class|enum) (\w+): (?:[\w, ]*, )?Rule\b/) {
                declared.insert(String(match.output.1))
            }
        }
        let registered = Set(RuleRegistry.rules.map { String(describing: $0) })
        #expect(declared.count >= 17, "the scan found \(declared.count) rule types; has the pattern gone stale?")
        #expect(declared == registered, "not registered: \(declared.subtracting(registered).sorted()); registered but not found: \(registered.subtracting(declared).sorted())")
    }
}
