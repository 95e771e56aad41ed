import Foundation
@testable import HeadroomKit

/// A copy of a Corpus bundle whose JSON files a test rewrites with hostile values, the way an
/// attacker who hands someone a bundle could.
struct HostileBundle {
    let path: String

    /// Copies `Corpus/<corpusCase>` to `parent/<name>`.
    init(in parent: URL, name: String = "bundle", from corpusCase: String = "bazel-test-cgroup") throws {
        let source = TestSupport.corpus.appendingPathComponent(corpusCase)
        let destination = parent.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: destination)
        path = destination.path
    }

    /// Rewrites the JSON object in the bundle's `file`.
    func edit(_ file: String, _ change: (inout [String: Any]) -> Void) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(file)
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    /// The plan Headroom makes from this bundle, computed in this process.
    func report() -> AnalysisReport {
        var inputs = EvidenceInputs()
        inputs.bundles = [path]
        return AnalysisReport.make(inputs)
    }
}
