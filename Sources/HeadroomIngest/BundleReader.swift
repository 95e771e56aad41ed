import Foundation
import HeadroomCore

/// Opens a bundle folder: its manifest, and which of its files are really there.
public struct BundleReader: Sendable {
    /// A bundle as found on disk.
    public struct Contents: Sendable {
        public var folder: String
        public var manifest: BundleManifest
        /// Problems that do not stop reading: missing files, a missing or damaged manifest.
        public var problems: [String]
        /// Files in the folder the manifest does not list (ignored when reading).
        public var unlistedFiles: [String] = []

        /// Absolute paths of the present files of `kind`, in manifest order.
        public func paths(of kind: BundleManifest.FileKind) -> [String] {
            manifest.files.filter { $0.kind == kind }.compactMap { file in
                let path = BundleReader.resolve(file.path, in: folder)
                return path.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            }
        }
    }

    public static let manifestName = "bundle.json"

    /// Reads `folder`. A folder without a manifest is read as an incomplete bundle whose files
    /// are listed by name; only a path that is not a folder is an error.
    public static func read(_ folder: String) throws(InputError) -> Contents {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(path: folder, reason: "is not a bundle folder")
        }
        var problems: [String] = []
        var manifest = BundleManifest()
        let manifestPath = (folder as NSString).appendingPathComponent(manifestName)
        if !FileManager.default.fileExists(atPath: manifestPath) {
            problems.append("\(manifestPath): missing; the bundle was cut short, files are guessed from their names")
            manifest = guessedManifest(folder)
        } else {
            do {
                let data = try SmallFile.read(manifestPath, kind: "bundle manifest")
                manifest = try JSONDecoder().decode(BundleManifest.self, from: data)
            } catch {
                problems.append("\(manifestPath): not a readable bundle manifest (\(Self.describe(error))); files are guessed from their names")
                manifest = guessedManifest(folder)
            }
            if manifest.formatVersion > BundleManifest.currentFormatVersion {
                problems.append("\(manifestPath): format version \(manifest.formatVersion) is newer than this Headroom reads (\(BundleManifest.currentFormatVersion)); unknown parts are ignored")
            }
        }
        if !manifest.complete { problems.append("\(folder): the recording did not finish (marked incomplete)") }
        for file in manifest.files {
            guard let path = resolve(file.path, in: folder) else {
                problems.append("\(folder): file path \(file.path) leaves the bundle; ignored")
                continue
            }
            if !FileManager.default.fileExists(atPath: path) {
                problems.append("\(path): listed in the manifest but missing")
            }
        }
        let listed = Set(manifest.files.map(\.path))
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let unlisted = present.filter { !$0.hasPrefix(".") && $0 != manifestName && !listed.contains($0) }
            .map { (folder as NSString).appendingPathComponent($0) }
        return Contents(folder: folder, manifest: manifest, problems: problems, unlistedFiles: unlisted)
    }

    /// An error as a short phrase: where in the JSON a decoding error happened and why, an
    /// input error's reason.
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else {
            return (error as? InputError)?.reason ?? "\(error)"
        }
        func at(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let path = (context.codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }
            return path.isEmpty ? "at the top" : "at " + path.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(at(context, key))"
        case .typeMismatch(let type, let context): return "\(at(context)): not a \(type)"
        case .valueNotFound(let type, let context): return "\(at(context)): null where a \(type) belongs"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "\(at(context)): \(context.debugDescription)\(underlying)"
        @unknown default: return "\(error)"
        }
    }

    /// `relative` inside `folder`, or nil when it is absolute or climbs out with `..`.
    static func resolve(_ relative: String, in folder: String) -> String? {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else { return nil }
        return (folder as NSString).appendingPathComponent(relative)
    }

    /// For a folder without a manifest: its files, kinds guessed from their names.
    private static func guessedManifest(_ folder: String) -> BundleManifest {
        var manifest = BundleManifest()
        manifest.complete = false
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") && name != manifestName {
            let kind: BundleManifest.FileKind =
                if name.hasPrefix("gc") && (name.contains(".log") || name.hasSuffix(".gz")) { .gcLog }
                else if name.hasSuffix(".jsonl") { .samples }
                else if name.contains("oom") || name.contains("dmesg") { .oomReport }
                else if name.contains("profile") { .traceProfile }
                else { .other }
            manifest.files.append(.init(path: name, kind: kind))
        }
        return manifest
    }
}
