import Foundation
import HeadroomCore

/// Reads Headroom's JSON-lines sample log (`headroom-samples`), streaming its samples.
///
/// Forward compatible: record kinds and fields it does not know are ignored, so a log from a
/// later Headroom still gives the samples this one understands.
public enum SampleLogReader {
    /// Reads `path` (plain, gzip, or `-`), calling `body` for every sample in order.
    public static func read(_ path: String, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        try read(SeriesInput.open(path), body)
    }

    static func read(_ input: SeriesInput, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        var summary = input.summary(.sampleLog)
        let decoder = SampleLogCoding.decoder()
        var sawRecord = false
        try input.forEachLine(&summary) { summary, line, number in
            guard line.contains(where: { !$0.isWhitespace }) else { return }
            let data = Data(line.utf8)
            guard let kind = try? decoder.decode(RecordKind.self, from: data) else {
                summary.reject(line: number, "not a JSON object")
                return
            }
            sawRecord = true
            switch kind.record {
            case "sample":
                let sample: MemorySample
                do {
                    sample = try decoder.decode(MemorySample.self, from: data)
                } catch let error as DecodingError {
                    summary.reject(line: number, "sample record: " + describe(error))
                    return
                }
                if let problem = sample.impossibility {
                    summary.reject(line: number, "sample record: " + problem)
                    return
                }
                summary.track(time: sample.time, line: number)
                summary.samples += 1
                try body(sample)
            case "header":
                do {
                    let header = try decoder.decode(SampleLogHeader.self, from: data)
                    guard header.format == SampleLogHeader.formatName else {
                        summary.reject(line: number, "header of another format: \(header.format)")
                        return
                    }
                    if header.version > SampleLogHeader.currentVersion {
                        summary.warn("written as format version \(header.version) (this Headroom knows \(SampleLogHeader.currentVersion)); fields it does not know were ignored")
                    }
                    if summary.header == nil { summary.header = header }
                } catch let error as DecodingError {
                    summary.reject(line: number, "header record: " + describe(error))
                }
            case "end":
                do {
                    summary.endReason = try decoder.decode(SampleLogEnd.self, from: data).reason
                } catch let error as DecodingError {
                    summary.reject(line: number, "end record: " + describe(error))
                }
            case nil:
                summary.reject(line: number, "no \"record\" field")
            default:
                // A kind from a later version.
                break
            }
        }
        // Sampling stopped without writing its end: killed, or still running.
        if sawRecord, summary.endReason == nil { summary.isPartial = true }
        return summary
    }

    /// A decoding failure in a few words, naming the field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing \(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case .dataCorrupted(let context):
            let at = path(context)
            return at.isEmpty ? "damaged JSON" : "unreadable value at \(at)"
        @unknown default:
            return "unreadable"
        }
    }
}
