#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// Turns the paths a user gave into the list of inputs to read, in time order.
///
/// Directories give their regular files (not reports or data files); zip archives give their
/// files; a rotated set
/// (`gc.log`, `gc.log.0` … `gc.log.N`, `gc.log.N.current`, `%p`/`%t` names) is put in the order
/// its first timestamps say, because rotation wraps around and names alone do not tell.
public enum InputFiles {
    static let skippedExtensions: Set<String> = ["json", "jsonl", "md", "html", "svg", "png", "tsv", "csv", "txt.sha1"]

    public static func expand(_ paths: [String]) throws(InputError) -> [InputSource] {
        var files: [String] = []
        for path in paths {
            if path == "-" {
                files.append(path)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw InputError(path: path, reason: FileChunkReader.describe(errno: errno))
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let entries = try listDirectory(path)
                if entries.isEmpty { throw InputError(path: path, reason: "directory holds no log files") }
                files.append(contentsOf: entries)
            } else {
                files.append(path)
            }
        }
        var sources: [InputSource] = []
        for file in files {
            if file != "-", !FileChunkReader.isStream(file), isZip(file) {
                let archive = try ZipArchive(path: file)
                if archive.entries.isEmpty { throw InputError(path: file, reason: "zip archive holds no files") }
                sources.append(contentsOf: archive.entries.map { InputSource.zipEntry($0, archive: file) })
            } else {
                sources.append(.file(file))
            }
        }
        return sources
    }

    private static func isZip(_ path: String) -> Bool {
        guard let head = try? RangeChunkReader.bytes(of: path, at: 0, count: 4) else { return false }
        return head == [0x50, 0x4b, 0x03, 0x04]
    }

    private static func listDirectory(_ path: String) throws(InputError) -> [String] {
        guard let directory = opendir(path) else {
            throw InputError(path: path, reason: FileChunkReader.describe(errno: errno))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard !name.hasPrefix(".") else { continue }
            let fileExtension = name.split(separator: ".").last.map(String.init) ?? ""
            guard !skippedExtensions.contains(fileExtension.lowercased()) else { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var info = stat()
            guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            names.append(full)
        }
        return names.sorted()
    }

    /// Orders files by the first timestamp each holds, keeping files of one rotated set together.
    public static func timeOrdered(_ sources: [InputSource]) -> [InputSource] {
        guard sources.count > 1, sources.allSatisfy(\.canBeReadTwice) else { return sources }
        let keyed = sources.map { source in
            (source: source, file: source.fileName, stem: rotationStem(of: source.fileName), first: FirstTimestamp.read(source))
        }
        if keyed.allSatisfy({ $0.first.wall != nil }) {
            return keyed.sorted { ($0.first.wall!, $0.file) < ($1.first.wall!, $1.file) }.map(\.source)
        }
        return keyed.sorted { lhs, rhs in
            if lhs.stem != rhs.stem { return lhs.stem < rhs.stem }
            switch (lhs.first.uptime, rhs.first.uptime) {
            case let (left?, right?) where left != right: return left < right
            case (_?, nil): return true
            case (nil, _?): return false
            default: return rotationIndex(of: lhs.file) < rotationIndex(of: rhs.file)
            }
        }.map(\.source)
    }

    /// `gc.log.3.current` and `gc.log.3` and `gc.log` all belong to `gc.log`.
    static func rotationStem(of file: String) -> String {
        var parts = file.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "gz" { parts.removeLast() }
        if parts.last == "current" { parts.removeLast() }
        if let last = parts.last, !last.isEmpty, last.allSatisfy(\.isNumber), parts.count > 1 { parts.removeLast() }
        return parts.joined(separator: ".")
    }

    /// The rotation number of a file; the live file (no number, or `.current`) sorts last.
    static func rotationIndex(of file: String) -> Int {
        let parts = file.split(separator: ".").map(String.init).filter { $0 != "gz" && $0 != "current" }
        if let last = parts.last, let number = Int(last) { return number }
        return Int.max
    }
}
