import Foundation
import HeadroomRender

/// Reading runs from disk: bundle folders (analysed as `analyze` would) and files of run summaries.
extension Aggregator {
    /// Reads every input: bundle folders, folders holding bundles at any depth, and `.jsonl` files
    /// of `RunSummary` lines (`.jsonl.gz` too).
    public mutating func read(_ paths: [String]) {
        for path in paths { read(path) }
    }

    public mutating func read(_ path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            noteUnreadable("\(path): not found")
            return
        }
        if isDirectory.boolValue {
            let bundles = Self.bundles(under: path)
            if bundles.isEmpty { noteUnreadable("\(path): no bundle (a folder with \(BundleReader.manifestName)) in it") }
            for folder in bundles { readBundle(folder) }
        } else if path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") {
            readLines(path)
        } else {
            noteUnreadable("\(path): not a bundle folder, a folder of bundles or a .jsonl file of run summaries")
        }
    }

    /// Bundle folders at or below `folder`, sorted; a bundle's own subfolders are not searched.
    public static func bundles(under folder: String) -> [String] {
        let manifest = BundleReader.manifestName
        if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(manifest)) { return [folder] }
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var found: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true else { continue }
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(manifest).path) {
                found.append(url.path)
                walker.skipDescendants()
            }
        }
        // Paths as given, not resolved, so messages name what the user typed.
        let base = URL(fileURLWithPath: folder).standardizedFileURL.path
        return found.map { path in
            let standard = URL(fileURLWithPath: path).standardizedFileURL.path
            return standard.hasPrefix(base) ? (folder as NSString).appendingPathComponent(String(standard.dropFirst(base.count + 1))) : path
        }.sorted()
    }

    /// One bundle, analysed as `analyze` would; a kernel log beside a folder named `bundle`
    /// (`CASE/bundle` and `CASE/kernel.log`) is read with it.
    private mutating func readBundle(_ folder: String) {
        var evidence = EvidenceInputs()
        evidence.bundles = [folder]
        let url = URL(fileURLWithPath: folder)
        if url.lastPathComponent == "bundle" {
            let kernelLog = url.deletingLastPathComponent().appendingPathComponent("kernel.log").path
            if FileManager.default.fileExists(atPath: kernelLog) { evidence.oomReports = [(folder as NSString).deletingLastPathComponent + "/kernel.log"] }
        }
        let report = AnalysisReport.make(evidence, version: HeadroomVersion.current)
        guard !report.facts.inputs.isEmpty else {
            noteUnreadable("\(folder): \(report.problems.isEmpty ? "nothing readable" : report.problems.joined(separator: "; "))")
            return
        }
        for problem in report.problems { note("\(folder): \(problem)") }
        let summary = RunSummary.make(report, inputs: evidence)
        let time = ISOTime.parse(summary.time) ?? Date().timeIntervalSince1970
        add(summary, at: time)
        noteInput("\(folder): 1 run (\(summary.time), \(summary.timeSource))" + (evidence.oomReports.isEmpty ? "" : " with \(evidence.oomReports[0])"))
    }

    /// A file of `RunSummary` lines; a damaged line is listed as `file:line` and skipped.
    private mutating func readLines(_ path: String) {
        let before = runs
        let decoder = JSONDecoder()
        do {
            let reader = LineReader(source: try InputOpener.open(path).reader)
            try reader.forEachLine { line in
                guard line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
                guard !line.isTruncated else {
                    noteUnreadable("\(path):\(line.number): line too long for a run summary")
                    return
                }
                let run: RunSummary
                do {
                    run = try decoder.decode(RunSummary.self, from: Data(line.bytes))
                } catch {
                    noteUnreadable("\(path):\(line.number): not a run summary (\(Self.describe(error)))")
                    return
                }
                guard let time = ISOTime.parse(run.time) else {
                    noteUnreadable("\(path):\(line.number): time '\(run.time)' is not an ISO-8601 stamp")
                    return
                }
                add(run, at: time)
            }
        } catch {
            noteUnreadable("\(error)")
            return
        }
        noteInput("\(path): \(runs - before) runs")
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}
