import HeadroomCore

/// Reads `timestamp rss` lines, the simplest series other tools and scripts write.
///
/// Time is seconds (epoch or relative, integer or decimal) or ISO-8601; the size is bytes or a
/// number with a binary unit (`123 kB`, `512KiB`, `1.5G`). Fields are separated by spaces,
/// tabs or commas; `#` lines and one header line before the first sample are skipped.
public enum TwoColumnSeriesReader {
    /// Reads `path` (plain, gzip, or `-`), calling `body` for every sample in order.
    public static func read(_ path: String, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        try read(SeriesInput.open(path), body)
    }

    static func read(_ input: SeriesInput, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        var summary = input.summary(.twoColumn)
        var headerAllowed = true
        try input.forEachLine(&summary) { summary, line, number in
            let trimmed = KernelText.trimmed(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
            switch parse(trimmed) {
            case .success(let (time, rss)):
                headerAllowed = false
                let next = sample(time: time, rssBytes: rss)
                if let problem = next.impossibility {
                    summary.reject(line: number, problem)
                    return
                }
                summary.track(time: time, line: number)
                summary.samples += 1
                try body(next)
            case .failure(let problem):
                // Column names (`time,rss`) come once, before any figure.
                if headerAllowed, !trimmed.contains(where: \.isNumber) || problem.looksLikeHeader {
                    headerAllowed = false
                    return
                }
                headerAllowed = false
                summary.reject(line: number, problem.reason)
            }
        }
        return summary
    }

    /// Why a line is not a sample; `looksLikeHeader` when its first field is no time at all.
    package struct Problem: Error {
        package var reason: String
        package var looksLikeHeader = false
    }

    /// The time and size on one line.
    package static func parse(_ line: Substring) -> Result<(Double, Int64), Problem> {
        var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        // `2024-05-01 10:00:00`: an ISO stamp with a space in place of its `T` is one field.
        if fields.count >= 3, fields[0].count == 10, fields[0].dropFirst(4).first == "-", fields[1].contains(":") {
            let start = fields[0].startIndex
            let end = fields[1].endIndex
            fields.replaceSubrange(0...1, with: [line[start..<end]])
        }
        guard fields.count == 2 || (fields.count == 3 && SeriesFields.isUnit(fields[2])) else {
            return .failure(Problem(reason: "expected two fields, time and size, found \(fields.count)"))
        }
        guard let time = SeriesFields.seconds(fields[0]), time >= 0 else {
            return .failure(Problem(reason: "unreadable time '\(fields[0].prefix(40))'", looksLikeHeader: true))
        }
        guard let rss = SeriesFields.bytes(fields[1], unit: fields.count == 3 ? fields[2] : nil) else {
            return .failure(Problem(reason: "unreadable size '\(fields.dropFirst().joined(separator: " ").prefix(40))'"))
        }
        return .success((time, rss))
    }

    /// A sample holding only a resident size: one process whose parts are unknown.
    static func sample(time: Double, rssBytes: Int64) -> MemorySample {
        var sample = MemorySample(time: time)
        sample.processes = ProcessTreeMemory(
            rootPID: 0, processCount: 1, rssBytes: rssBytes, anonBytes: nil, fileBytes: nil, shmemBytes: nil,
            rootPeakRSSBytes: nil, largest: [])
        return sample
    }
}
