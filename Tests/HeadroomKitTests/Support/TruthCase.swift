import Foundation
import HeadroomKit

/// One ground-truth Corpus case (`Corpus/truth-*`, written by `Corpus/generate-truth.sh`): the
/// evidence `analyze` reads, and what the generating script knew independently of Headroom —
/// the limit it set, how Bazel exited, what the kernel killed and counted — from its TRUTH file.
struct TruthCase: CustomStringConvertible, Sendable {
    /// TRUTH: `key=value` lines.
    struct Truth: Sendable {
        var values: [String: String]
        var command: String
        var limitBytes: Int64?
        var exitStatus: Int32
        var passed: Bool
        var kernelKills: Int
        /// `server`, `test` or the killed process's name, one per kill.
        var killVictims: [String]
        /// `memory.max_usage_in_bytes` of the cgroup the script made for the case.
        var cgroupPeakBytes: Int64?
        /// The largest sampled RSS of the server's process tree.
        var treePeakBytes: Int64?
        var wallSeconds: Double?
        var xmxBytes: Int64?
        /// What record.json should say: `made`, `alone`, `shared` (or `unknown`).
        var cgroupOwnership: String
        var whatHappened: String
    }

    /// Why a TRUTH file could not be read.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    let name: String
    let folder: URL
    /// The bundle (bundle/, or the case TRUTH points to) and kernel.log as oomReports.
    let inputs: EvidenceInputs
    let truth: Truth
    var description: String { name }

    /// Every `truth-*` case of the Corpus, by name.
    static func all(corpus: URL = TestSupport.corpus) throws -> [TruthCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasPrefix("truth-") }.sorted()
        return try names.map { try TruthCase(folder: corpus.appendingPathComponent($0)) }
    }

    init(folder: URL) throws {
        self.folder = folder
        name = folder.lastPathComponent
        let text = try String(contentsOf: folder.appendingPathComponent("TRUTH"), encoding: .utf8)
        truth = try Self.parse(text, file: "\(name)/TRUTH")
        var inputs = EvidenceInputs()
        let bundle = truth.values["bundle"].map { folder.appendingPathComponent($0).standardizedFileURL } ?? folder.appendingPathComponent("bundle")
        inputs.bundles = [bundle.path]
        let kernelLog = folder.appendingPathComponent("kernel.log")
        if FileManager.default.fileExists(atPath: kernelLog.path) { inputs.oomReports = [kernelLog.path] }
        self.inputs = inputs
    }

    /// The bundle's record.json, when it has one.
    var record: RecordFacts? {
        guard let bundle = inputs.bundles.first, let data = FileManager.default.contents(atPath: bundle + "/record.json") else { return nil }
        return try? JSONDecoder().decode(RecordFacts.self, from: data)
    }

    static func parse(_ text: String, file: String) throws -> Truth {
        var values: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let equals = line.firstIndex(of: "=") else { throw Unreadable(description: "\(file):\(index + 1): no key=value: \(line)") }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        func required(_ key: String) throws -> String {
            guard let value = values[key] else { throw Unreadable(description: "\(file): no \(key)=") }
            return value
        }
        func optionalBytes(_ key: String) throws -> Int64? {
            let value = try required(key)
            if value == "none" { return nil }
            guard let bytes = Int64(value) else { throw Unreadable(description: "\(file): \(key)=\(value) is neither bytes nor none") }
            return bytes
        }
        func number<T: LosslessStringConvertible>(_ key: String, as _: T.Type) throws -> T {
            let value = try required(key)
            guard let number = T(value) else { throw Unreadable(description: "\(file): \(key)=\(value) is not a number") }
            return number
        }
        let victims = try required("kill_victims")
        let wall = try required("wall_seconds")
        let passed = try required("passed")
        guard passed == "true" || passed == "false" else { throw Unreadable(description: "\(file): passed=\(passed)") }
        return Truth(
            values: values, command: try required("command"), limitBytes: try optionalBytes("limit_bytes"),
            exitStatus: try number("exit_status", as: Int32.self), passed: passed == "true", kernelKills: try number("kernel_kills", as: Int.self),
            killVictims: victims == "none" ? [] : victims.split(separator: ",").map(String.init), cgroupPeakBytes: try optionalBytes("cgroup_peak_bytes"),
            treePeakBytes: try optionalBytes("tree_peak_bytes"), wallSeconds: wall == "none" ? nil : Double(wall), xmxBytes: try optionalBytes("xmx_bytes"),
            cgroupOwnership: try required("cgroup_ownership"), whatHappened: try required("what_happened"))
    }
}
