import HeadroomCore

/// One input to read: a file (`-` for standard input) or one file inside a zip archive.
public enum InputSource: Sendable, Hashable {
    case file(String)
    case zipEntry(ZipArchive.Entry, archive: String)

    /// How reports name the input: the path, or `archive.zip:entry`.
    public var displayName: String {
        switch self {
        case .file(let path): path == "-" ? "<stdin>" : path
        case .zipEntry(let entry, let archive): "\(archive):\(entry.name)"
        }
    }

    /// The name used to group a rotated set (`gc.log`, `gc.log.3`, `gc.log.3.current`).
    var fileName: String {
        switch self {
        case .file(let path): path
        case .zipEntry(let entry, let archive): "\(archive):\(entry.name)"
        }
    }

    /// Whether it can be opened twice (to read its first timestamp, then all of it).
    var canBeReadTwice: Bool {
        if case .file(let path) = self { return path != "-" && !FileChunkReader.isStream(path) }
        return true
    }
}
