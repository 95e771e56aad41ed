import HeadroomCore

/// Reads `pidstat -r` output (sysstat): one sample per report time, RSS summed over the processes.
///
/// Columns are found by their header names, since sysstat versions and options (`-t`, `-U`,
/// `-l`) lay them out differently. `-h` keeps each report on one line; `-H` prints times as
/// epoch seconds. Clock times (`20:43:19`, `08:43:19 PM`) are read as UTC on the date of the
/// `Linux …` banner, rolling over at midnight: pidstat prints local time and names no zone.
public enum PidstatReader {
    /// Reads `path` (plain, gzip, or `-`), calling `body` for every report time in order.
    public static func read(_ path: String, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        try read(SeriesInput.open(path), body)
    }

    static func read(_ input: SeriesInput, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        var summary = input.summary(.pidstat)
        var state = State()
        try input.forEachLine(&summary) { summary, line, number in
            if let sample = state.take(line, number: number, summary: &summary) {
                summary.samples += 1
                try body(sample)
            }
        }
        if let sample = state.flush() {
            summary.samples += 1
            try body(sample)
        }
        return summary
    }

    /// Where the wanted columns are, from a header line.
    struct Layout: Equatable {
        var count: Int
        var pid: Int
        /// `TID` with `-t`: rows of single threads carry a number there and are skipped.
        var tid: Int?
        var rss: Int
        var command: Int?

        /// The layout named by a header line's fields (time first), or nil when it is no header.
        init?(_ fields: [Substring]) {
            guard let rss = fields.firstIndex(of: "RSS"),
                let pid = fields.firstIndex(of: "PID") ?? fields.firstIndex(of: "TGID")
            else { return nil }
            count = fields.count
            self.pid = pid
            self.rss = rss
            tid = fields.firstIndex(of: "TID")
            command = fields.firstIndex(of: "Command")
        }
    }

    /// One process row of the report being gathered.
    struct Row {
        var pid: Int
        var name: String
        var rssBytes: Int64
    }

    /// The reading so far: the layout in force, the banner's date, and the rows of one report time.
    struct State {
        var layout: Layout?
        /// Days since the epoch of the banner's date.
        var bannerDay: Int64?
        var dayOffset: Int64 = 0
        var lastClock: Double?
        var groupKey: Substring?
        var groupTime = 0.0
        var rows: [Row] = []

        /// Reads one line; returns the finished sample of the previous report time, if any.
        mutating func take(_ line: Substring, number: Int, summary: inout MemorySeriesSummary) -> MemorySample? {
            let trimmed = KernelText.trimmed(line)
            if trimmed.isEmpty { return nil }
            if trimmed.hasPrefix("Linux ") {
                // A new banner starts a new run (captures joined together): count days afresh.
                bannerDay = PidstatReader.bannerDay(trimmed)
                dayOffset = 0
                lastClock = nil
                return nil
            }
            // Averages repeat the figures already read, without a time.
            if trimmed.hasPrefix("Average:") { return nil }
            var fields = PidstatReader.fields(trimmed.hasPrefix("#") ? trimmed.dropFirst() : trimmed)
            if let layout = Layout(fields) {
                self.layout = layout
                return nil
            }
            if trimmed.hasPrefix("#") { return nil }
            guard let layout else {
                summary.reject(line: number, "a data line before any header line")
                return nil
            }
            guard fields.count >= layout.count else {
                summary.reject(line: number, "expected \(layout.count) columns, found \(fields.count)")
                return nil
            }
            if fields.count > layout.count {
                // `-l` prints whole command lines: the extra fields belong to the last column.
                guard layout.command == layout.count - 1 else {
                    summary.reject(line: number, "expected \(layout.count) columns, found \(fields.count)")
                    return nil
                }
                let start = fields[layout.count - 1].startIndex
                let end = fields[fields.count - 1].endIndex
                fields.replaceSubrange((layout.count - 1)..., with: [trimmed[start..<end]])
            }
            if let tid = layout.tid, fields[tid] != "-" { return nil }
            if fields[layout.pid] == "-" { return nil }
            guard let pid = KernelText.integer(fields[layout.pid]).flatMap({ Int(exactly: $0) }) else {
                summary.reject(line: number, "unreadable PID '\(fields[layout.pid].prefix(20))'")
                return nil
            }
            guard let rss = KernelText.scaled(KernelText.integer(fields[layout.rss]), by: 1024) else {
                summary.reject(line: number, "unreadable RSS '\(fields[layout.rss].prefix(20))'")
                return nil
            }
            let key = fields[0]
            var finished: MemorySample?
            if key != groupKey {
                guard let time = time(of: key, summary: &summary) else {
                    summary.reject(line: number, "unreadable time '\(key.prefix(20))'")
                    return nil
                }
                finished = flush()
                groupKey = key
                groupTime = time
            }
            let name = layout.command.map { String(fields[$0]) } ?? ""
            rows.append(Row(pid: pid, name: name, rssBytes: rss))
            return finished
        }

        /// The sample of the rows gathered, which are then cleared.
        mutating func flush() -> MemorySample? {
            guard !rows.isEmpty else { return nil }
            defer { rows = [] }
            let members = rows.map { ProcessMemory(pid: $0.pid, name: $0.name, rssBytes: $0.rssBytes) }
            // One process is its own root; several (`-p 1,2`, `-p ALL`) have none.
            let root = Set(rows.map(\.pid)).count == 1 ? rows[0].pid : 0
            var tree = ProcessTreeReader.summarize(rootPID: root, members: members, rootPeak: nil, largestCount: 5)
            tree.processCount = rows.count
            var sample = MemorySample(time: groupTime)
            sample.processes = tree
            return sample
        }

        /// Seconds since the epoch of a time field: epoch seconds (`-H`) or a clock time.
        mutating func time(of field: Substring, summary: inout MemorySeriesSummary) -> Double? {
            if field.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return KernelText.integer(field).map(Double.init)
            }
            guard let clock = PidstatReader.clockSeconds(field) else { return nil }
            // Reports only go forward: a clock going back has passed midnight.
            if let lastClock, clock < lastClock { dayOffset += 1 }
            lastClock = clock
            if bannerDay == nil {
                summary.warn("no date in a pidstat banner: clock times are read as seconds from the first midnight")
            } else {
                summary.warn("pidstat clock times read as UTC (pidstat prints local time; -H prints epoch seconds)")
            }
            return Double(((bannerDay ?? 0) + dayOffset) * 86_400) + clock
        }
    }

    /// Blank-separated fields, with a 12-hour clock's `AM`/`PM` joined to the time before it.
    static func fields(_ line: Substring) -> [Substring] {
        var fields = line.split(whereSeparator: KernelText.isBlank)
        if fields.count >= 2, fields[1] == "AM" || fields[1] == "PM" {
            fields.replaceSubrange(0...1, with: [line[fields[0].startIndex..<fields[1].endIndex]])
        }
        return fields
    }

    /// `HH:MM:SS`, optionally followed by ` AM`/` PM`, as seconds from midnight.
    package static func clockSeconds(_ field: Substring) -> Double? {
        let parts = field.split(separator: " ")
        guard let first = parts.first else { return nil }
        let clock = first.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, clock.count == 3,
            var hour = KernelText.integer(clock[0]), let minute = KernelText.integer(clock[1]), let second = KernelText.integer(clock[2]),
            minute < 60, second < 61
        else { return nil }
        if parts.count == 2 {
            guard hour >= 1, hour <= 12 else { return nil }
            if parts[1] == "AM", hour == 12 { hour = 0 }
            if parts[1] == "PM", hour < 12 { hour += 12 }
        }
        guard hour < 24 else { return nil }
        return Double(hour * 3600 + minute * 60 + second)
    }

    /// Days since the epoch of the banner's date: `11/21/26`, `11/21/2026` (C locale),
    /// `2026-11-21` (`S_TIME_FORMAT=ISO`) or `21.11.2026`.
    package static func bannerDay(_ banner: Substring) -> Int64? {
        for field in banner.split(whereSeparator: KernelText.isBlank) {
            let slash = field.split(separator: "/", omittingEmptySubsequences: false)
            let dash = field.split(separator: "-", omittingEmptySubsequences: false)
            let dot = field.split(separator: ".", omittingEmptySubsequences: false)
            var date: (year: Int64, month: Int64, day: Int64)?
            if slash.count == 3, let m = KernelText.integer(slash[0]), let d = KernelText.integer(slash[1]), let y = KernelText.integer(slash[2]) {
                date = (slash[2].count == 2 ? 2000 + y : y, m, d)
            } else if dash.count == 3, dash[0].count == 4, let y = KernelText.integer(dash[0]), let m = KernelText.integer(dash[1]), let d = KernelText.integer(dash[2]) {
                date = (y, m, d)
            } else if dot.count == 3, dot[2].count == 4, let d = KernelText.integer(dot[0]), let m = KernelText.integer(dot[1]), let y = KernelText.integer(dot[2]) {
                date = (y, m, d)
            }
            guard let date, (1...12).contains(date.month), (1...31).contains(date.day), (1970...9999).contains(date.year) else { continue }
            return WallClockParser.daysFromCivil(year: date.year, month: date.month, day: date.day)
        }
        return nil
    }
}
