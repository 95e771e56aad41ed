import HeadroomCore

/// Reads cgroup `memory.*` files saved in a folder (one moment) or in a folder of such folders
/// (a series, in name order), v1 or v2.
///
/// A moment's time comes from a `timestamp` file in its folder (epoch seconds or ISO-8601) or,
/// without one, from the folder's modification time.
public enum CgroupSnapshotReader {
    /// Reads `path`, calling `body` for every snapshot in order.
    public static func read(_ path: String, _ body: (MemorySample) throws -> Void) throws -> MemorySeriesSummary {
        guard KernelFile.isDirectory(path) else {
            throw InputError(path: path, reason: KernelFile.exists(path) ? "is not a folder of cgroup files" : "no such folder")
        }
        var summary = MemorySeriesSummary(source: path, format: .cgroupSnapshot)
        if isSnapshot(path) {
            summary.linesRead = 1
            if let sample = sample(of: path, summary: &summary) {
                summary.samples = 1
                try body(sample)
            }
            return summary
        }
        let folders = (KernelFile.entries(path) ?? [])
            .filter { !$0.hasPrefix(".") && KernelFile.isDirectory(KernelFile.join(path, $0)) }
            .sorted(by: naturalOrder)
        guard !folders.isEmpty else {
            throw InputError(path: path, reason: "holds neither memory.* files nor folders of them")
        }
        for folder in folders {
            let directory = KernelFile.join(path, folder)
            summary.linesRead += 1
            guard isSnapshot(directory) else {
                summary.reject(line: nil, "no memory.* files", path: directory)
                continue
            }
            if let sample = sample(of: directory, summary: &summary) {
                summary.samples += 1
                try body(sample)
            }
        }
        return summary
    }

    /// Whether `directory` holds a cgroup's memory files.
    public static func isSnapshot(_ directory: String) -> Bool {
        CgroupMemoryReader.version(ofDirectory: directory) != nil
    }

    static func sample(of directory: String, summary: inout MemorySeriesSummary) -> MemorySample? {
        guard let cgroup = CgroupMemoryReader.read(directory: directory) else {
            summary.reject(line: nil, "unreadable cgroup files", path: directory)
            return nil
        }
        var time: Double?
        if let stamp = KernelFile.text(KernelFile.join(directory, "timestamp")) {
            time = SeriesFields.seconds(KernelText.firstLine(stamp))
            if time == nil { summary.warn("\(KernelFile.join(directory, "timestamp")): unreadable time; the folder's modification time is used") }
        }
        guard let time = time ?? KernelFile.modificationTime(directory) else {
            summary.reject(line: nil, "no time: no timestamp file and no modification time", path: directory)
            return nil
        }
        var sample = MemorySample(time: time)
        sample.cgroup = cgroup
        return sample
    }

    /// Names compared with their digit runs as numbers, so `2` comes before `10`.
    package static func naturalOrder(_ a: String, _ b: String) -> Bool {
        var left = Substring(a)
        var right = Substring(b)
        while let l = left.first, let r = right.first {
            if l.isASCII, l.isNumber, r.isASCII, r.isNumber {
                let leftDigits = left.prefix { $0.isASCII && $0.isNumber }
                let rightDigits = right.prefix { $0.isASCII && $0.isNumber }
                let leftValue = leftDigits.drop { $0 == "0" }
                let rightValue = rightDigits.drop { $0 == "0" }
                if leftValue.count != rightValue.count { return leftValue.count < rightValue.count }
                if leftValue != rightValue { return leftValue < rightValue }
                left = left.dropFirst(leftDigits.count)
                right = right.dropFirst(rightDigits.count)
            } else {
                if l != r { return l < r }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty ? true : (left.isEmpty && right.isEmpty ? a < b : false)
    }
}
