import HeadroomCore

/// An OOM report's task table, read by the column names its header gives, largest rows kept.
///
/// The columns changed over the years, so rows are read by the header rather than by position:
/// - before 4.15: `[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name`
///   (`nr_pmds` since 4.3; 3.x had `cpu oom_adj` or no `nr_pmds`);
/// - 4.15 to 4.18: `... rss pgtables_bytes swapents oom_score_adj name`;
/// - 4.19+: a `Tasks state (memory values in pages):` line first, and `[  pid  ]` padded wider;
/// - 6.8+: `... rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name`.
/// Memory columns are pages except `pgtables_bytes`; the name is last and may hold spaces.
package struct OOMTaskTable {
    enum Column {
        case uid, tgid, totalVM, rss, rssAnon, rssFile, rssShmem, pageTablesBytes, pageTablePages, pmdPages, swapEntries, oomScoreAdj
        case ignored
    }

    let columnNames: [String]
    private let columns: [Column]
    private let pageSize: Int64
    private let limit: Int
    private(set) var rows: [OOMKill.Task] = []
    private(set) var count = 0

    /// Reads the header line (`[  pid  ]   uid  tgid ... name`); nil when it is not one.
    init?(header cursor: ByteCursor, pageSize: Int64, limit: Int) {
        guard cursor.hasPrefix("[") else { return nil }
        let text = cursor.string(from: cursor.position, to: cursor.bytes.count)
        let names = text.split(separator: " ").map { $0.filter { $0 != "[" && $0 != "]" } }.filter { !$0.isEmpty }
        guard names.count >= 3, names.first == "pid", names.last == "name", names.contains("uid") else { return nil }
        columnNames = names.map { String($0) }
        columns = names.dropFirst().dropLast().map { name in
            switch name {
            case "uid": .uid
            case "tgid": .tgid
            case "total_vm": .totalVM
            case "rss": .rss
            case "rss_anon": .rssAnon
            case "rss_file": .rssFile
            case "rss_shmem": .rssShmem
            case "pgtables_bytes": .pageTablesBytes
            case "nr_ptes": .pageTablePages
            case "nr_pmds": .pmdPages
            case "swapents": .swapEntries
            case "oom_score_adj": .oomScoreAdj
            default: .ignored
            }
        }
        self.pageSize = pageSize
        self.limit = max(1, limit)
    }

    /// Reads one row (`[  26081]     0 26081    55342 ... python3`); nil when it is not one.
    mutating func row(_ cursor: ByteCursor) -> OOMKill.Task? {
        var reader = cursor
        guard reader.skip("[") else { return nil }
        reader.skipSpaces()
        guard let pid = reader.parseInteger(), reader.skip("]") else { return nil }
        var values: [Int64] = []
        values.reserveCapacity(columns.count)
        for _ in columns {
            reader.skipSpaces()
            let negative = reader.skip("-")
            guard let value = reader.parseInteger() else { return nil }
            values.append(negative ? -value : value)
        }
        reader.skipSpaces()
        var task = OOMKill.Task(pid: Int(pid), name: reader.string(from: reader.position, to: reader.bytes.count))
        var pageTablePages: Int64?
        for (column, value) in zip(columns, values) {
            switch column {
            case .uid: task.uid = Int(value)
            case .tgid: task.tgid = Int(value)
            case .totalVM: task.totalVmBytes = bytes(pages: value)
            case .rss: task.rssBytes = bytes(pages: value)
            case .rssAnon: task.anonRssBytes = bytes(pages: value)
            case .rssFile: task.fileRssBytes = bytes(pages: value)
            case .rssShmem: task.shmemRssBytes = bytes(pages: value)
            case .pageTablesBytes: task.pageTablesBytes = value >= 0 ? value : nil
            case .pageTablePages, .pmdPages: pageTablePages = (pageTablePages ?? 0) + max(0, value)
            case .swapEntries: task.swapBytes = bytes(pages: value)
            case .oomScoreAdj: task.oomScoreAdj = Int(value)
            case .ignored: break
            }
        }
        if task.pageTablesBytes == nil, let pages = pageTablePages { task.pageTablesBytes = bytes(pages: pages) }
        keep(task)
        return task
    }

    /// The kept rows, largest RSS first, and how many were left out.
    func finish() -> (tasks: [OOMKill.Task], omitted: Int) {
        let sorted = rows.sorted(by: Self.larger)
        let kept = Array(sorted.prefix(limit))
        return (kept, count - kept.count)
    }

    private mutating func keep(_ task: OOMKill.Task) {
        count += 1
        rows.append(task)
        // Trim now and then rather than on every row: a global OOM lists every process.
        if rows.count >= limit * 2 {
            rows.sort(by: Self.larger)
            rows.removeLast(rows.count - limit)
        }
    }

    private static func larger(_ a: OOMKill.Task, _ b: OOMKill.Task) -> Bool {
        let left = a.rssBytes ?? 0
        let right = b.rssBytes ?? 0
        return left != right ? left > right : a.pid < b.pid
    }

    private func bytes(pages: Int64) -> Int64? {
        guard pages >= 0 else { return nil }
        let (product, overflow) = pages.multipliedReportingOverflow(by: pageSize)
        return overflow ? nil : product
    }
}
