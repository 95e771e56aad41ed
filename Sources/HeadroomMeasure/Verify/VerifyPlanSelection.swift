import Foundation
import HeadroomStore

/// Which plan `verify` proves: a `.bazelrc` fragment's options (through the same allowlists as a
/// bundle's, since a fragment is a file like any input), else the bundle's own analysis; the
/// limits from that analysis or from `--memory-max`.
public enum VerifyPlanSelection {
    /// Why no plan could be chosen.
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable {
            /// The fragment or the bundle could not be read.
            case unreadable
            /// The plan sets no `MemoryMax` and none was given.
            case noMemoryMax
        }

        public var kind: Kind
        public var reason: String
        public var description: String { reason }
    }

    /// The plan, and notes for the report on what was left out.
    public struct Selection {
        public var plan: VerifyPlan
        public var notes: [String]
    }

    /// Chooses the plan for `bundle`; `say` hears each problem and note as it is found.
    public static func select(
        bundle: String, fragment: String?, memoryMax: String?, trustFragment: Bool, say: (String) -> Void
    ) throws(Failure) -> Selection {
        var notes: [String] = []
        var settings: [BazelSetting]
        var limits: CgroupLimits?
        let source: String
        if let fragment {
            guard let text = try? String(contentsOfFile: fragment, encoding: .utf8) else {
                throw Failure(kind: .unreadable, reason: "\(fragment): cannot be read")
            }
            let parsed: (settings: [BazelSetting], ignored: [String])
            do {
                parsed = try VerifyPlan.settings(fromFragment: text, name: fragment)
            } catch {
                throw Failure(kind: .unreadable, reason: "\(error)")
            }
            settings = trustFragment ? parsed.settings : parsed.settings.filter(CommandOptionAllowlist.allows)
            notes += parsed.ignored.map { "not applied (a --config or another command): \($0)" }
            let beyond = parsed.settings.filter { !settings.contains($0) }
            if !beyond.isEmpty {
                let note = "not applied from \(fragment) (not on verify's allowlists; --trust-bundle applies them): "
                    + beyond.map { VisibleText.oneLine($0.rcLine) }.joined(separator: "; ")
                say(note)
                notes.append(note)
            }
            source = "fragment \(fragment)"
        } else {
            var inputs = EvidenceInputs()
            inputs.bundles = [bundle]
            let report = AnalysisReport.make(inputs)
            for problem in report.problems { say(problem) }
            if report.facts.inputs.isEmpty {
                throw Failure(kind: .unreadable, reason: "\(bundle): no evidence could be read")
            }
            settings = report.plan.allSettings.map(\.setting)
            limits = report.plan.cgroup?.limits
            source = "analysis of \(bundle)"
        }
        if let memoryMax, let bytes = JVMSize.bytes(memoryMax) {
            limits = CgroupLimits(memoryMaxBytes: bytes, memoryHighBytes: nil, memorySwapMaxBytes: 0, basis: "--memory-max \(memoryMax)")
        }
        guard let limits else {
            throw Failure(kind: .noMemoryMax, reason: "the plan sets no MemoryMax: give --memory-max")
        }
        return Selection(plan: VerifyPlan(settings: settings, limits: limits, source: source), notes: notes)
    }
}
