import Foundation
import HeadroomRender

/// Writes a bundle: files are added to a hidden working folder beside the destination, and
/// `close` writes `bundle.json` last, atomically, then renames the folder into place — so a
/// bundle that has a manifest saying `complete: true` is whole, and one cut short has none (or
/// says `complete: false`).
///
/// An existing bundle at the destination (replaced only with `replace`) stays untouched until
/// `close`: a run that fails, is interrupted or is killed never empties it first. A complete new
/// bundle then replaces it; an incomplete one takes the folder too (it always holds the latest
/// run) but keeps a complete old bundle beside it as `NAME.previous`. A process killed outright
/// leaves its files in the working folder `.NAME.new-PID`.
public final class BundleWriter {
    /// Why a bundle could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Where a closed bundle ended up.
    public struct Placement: Sendable, Equatable {
        public var path: String
        public var complete: Bool
        /// Where the complete bundle that was at `path` was kept, when an incomplete one took its place.
        public var previousKeptAt: String?

        package init(path: String, complete: Bool, previousKeptAt: String? = nil) {
            self.path = path
            self.complete = complete
            self.previousKeptAt = previousKeptAt
        }
    }

    /// The destination folder.
    public let folder: String
    /// The folder files are written into until `close`.
    public let workingFolder: String
    public private(set) var manifest: BundleManifest
    /// Set by `close`, even when writing the manifest failed.
    public private(set) var placement: Placement?
    private let destination: BundleDestination

    /// Checks `folder` (an existing non-empty folder is refused unless `replace`, and only a
    /// bundle is ever replaced) and makes the working folder beside it.
    public init(folder: String, replace: Bool, manifest: BundleManifest = BundleManifest()) throws {
        self.folder = folder
        self.manifest = manifest
        destination = BundleDestination(path: URL(fileURLWithPath: folder).standardizedFileURL.path, replace: replace)
        try destination.check()
        workingFolder = try destination.makeWorkingFolder()
        self.manifest.host = Self.describeHost()
    }

    /// The path a file of the bundle has on disk until `close`.
    public func path(of name: String) -> String {
        (workingFolder as NSString).appendingPathComponent(name)
    }

    /// `text` with the working folder's path as the destination's: for messages about files
    /// that are (or would have been) in the bundle once it is closed.
    public func describingDestination(_ text: String) -> String {
        text.replacingOccurrences(of: workingFolder, with: folder)
    }

    /// Lists a file the caller wrote into the folder (its size is taken when the bundle closes).
    public func add(_ name: String, kind: BundleManifest.FileKind, description: String? = nil) {
        manifest.files.removeAll { $0.path == name }
        manifest.files.append(.init(path: name, kind: kind, description: description))
    }

    /// Copies a file into the bundle under `name`.
    public func copy(_ source: String, as name: String, kind: BundleManifest.FileKind, description: String? = nil) throws {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: path(of: name))
        } catch {
            throw WriteError(path: source, reason: "could not be copied into the bundle: \(FileErrorReason.describe(error))")
        }
        add(name, kind: kind, description: description)
    }

    /// Changes the manifest (command, times, notes) before closing.
    public func update(_ change: (inout BundleManifest) -> Void) {
        change(&manifest)
    }

    /// Writes `bundle.json` (atomically: temporary file, then rename) and moves the bundle into
    /// place. When the manifest cannot be written the bundle is still moved (it then has none, so
    /// it reads as cut short) and the write error is thrown after.
    @discardableResult
    public func close(complete: Bool) throws -> Placement {
        // Closing again (after a failure) changes nothing: the folder has been moved.
        if let placement { return placement }
        manifest.complete = complete
        for index in manifest.files.indices {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: manifest.files[index].path))
            manifest.files[index].bytes = (attributes?[.size] as? NSNumber)?.int64Value
        }
        var manifestFailure: WriteError?
        do {
            try AtomicFile.write(Data(try JSONRenderer.render(manifest).utf8), to: path(of: BundleReader.manifestName), overwrite: true)
        } catch {
            let reason = (error as? AtomicFile.WriteError)?.reason ?? "\(error)"
            manifestFailure = WriteError(path: (folder as NSString).appendingPathComponent(BundleReader.manifestName), reason: reason)
        }
        let outcome = try destination.take(workingFolder, complete: complete && manifestFailure == nil)
        let placed = Placement(path: folder, complete: complete && manifestFailure == nil, previousKeptAt: outcome.previousKeptAt)
        placement = placed
        if let manifestFailure { throw manifestFailure }
        return placed
    }

    /// RAM, CPUs, kernel and cgroup layout of this machine.
    package static func describeHost() -> BundleManifest.Host {
        var host = BundleManifest.Host()
        host.hostname = ProcessInfo.processInfo.hostName
        host.uid = BundleProvenance.currentUID
        host.user = BundleProvenance.currentUser
        host.memoryBytes = Int64(ProcessInfo.processInfo.physicalMemory)
        host.cpus = ProcessInfo.processInfo.activeProcessorCount
        host.kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let manager = FileManager.default
        let unifiedHasMemory = (try? String(contentsOfFile: "/sys/fs/cgroup/cgroup.controllers", encoding: .utf8))?.contains("memory") == true
            || (try? String(contentsOfFile: "/sys/fs/cgroup/unified/cgroup.controllers", encoding: .utf8))?.contains("memory") == true
        let hasV1Memory = manager.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes")
        host.cgroupVersion = hasV1Memory ? (manager.fileExists(atPath: "/sys/fs/cgroup/unified") ? "hybrid" : "1") : (unifiedHasMemory ? "2" : nil)
        return host
    }
}
