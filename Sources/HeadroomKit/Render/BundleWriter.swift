import Foundation

/// Creates a bundle folder, adds files to it, and writes `bundle.json` last, atomically, so a
/// bundle that has a manifest is whole, and one cut short has none (or says `complete: false`).
public final class BundleWriter {
    /// Why a bundle could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public let folder: String
    public private(set) var manifest: BundleManifest

    /// Makes `folder`; an existing non-empty folder is refused unless `replace`.
    public init(folder: String, replace: Bool, manifest: BundleManifest = BundleManifest()) throws {
        self.folder = folder
        self.manifest = manifest
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw WriteError(path: folder, reason: "exists and is not a folder") }
            let entries = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
            if !entries.isEmpty && !replace {
                throw WriteError(path: folder, reason: "exists and is not empty; pass --force to replace it")
            }
            if !entries.isEmpty {
                // Only a bundle may be replaced: never empty a folder of other things.
                guard entries.contains(BundleReader.manifestName) || entries.allSatisfy({ $0.hasSuffix(".jsonl") || $0.hasSuffix(".partial") }) else {
                    throw WriteError(path: folder, reason: "is not a Headroom bundle; refusing to replace it")
                }
                for entry in entries { try? manager.removeItem(atPath: (folder as NSString).appendingPathComponent(entry)) }
            }
        } else {
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: folder, reason: error.localizedDescription)
            }
        }
        self.manifest.host = Self.describeHost()
    }

    /// The path a file of the bundle has on disk.
    public func path(of name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
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
            throw WriteError(path: source, reason: "could not be copied into the bundle: \(error.localizedDescription)")
        }
        add(name, kind: kind, description: description)
    }

    /// Changes the manifest (command, times, notes) before closing.
    public func update(_ change: (inout BundleManifest) -> Void) {
        change(&manifest)
    }

    /// Writes `bundle.json` (atomically: temporary file, then rename).
    public func close(complete: Bool) throws {
        manifest.complete = complete
        for index in manifest.files.indices {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: manifest.files[index].path))
            manifest.files[index].bytes = (attributes?[.size] as? NSNumber)?.int64Value
        }
        let text = try JSONRenderer.render(manifest)
        do {
            try AtomicFile.write(Data(text.utf8), to: path(of: BundleReader.manifestName), overwrite: true)
        } catch {
            throw WriteError(path: path(of: BundleReader.manifestName), reason: "\(error)")
        }
    }

    /// RAM, CPUs, kernel and cgroup layout of this machine.
    static func describeHost() -> BundleManifest.Host {
        var host = BundleManifest.Host()
        host.hostname = ProcessInfo.processInfo.hostName
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
