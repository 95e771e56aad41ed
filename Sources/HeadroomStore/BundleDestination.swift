import Foundation
import HeadroomRender

/// The folder a bundle is meant for, and how a finished working folder takes its place there.
///
/// A bundle is written in a hidden sibling working folder and renamed into place when it is
/// closed, so an existing bundle is never emptied before the new one exists:
///
/// - a complete new bundle replaces the old one (which is moved aside, then deleted);
/// - an incomplete one (Ctrl-C, a timeout, a failed write) also takes the folder — the folder
///   always holds what the latest run left — but a *complete* old bundle is not deleted for it:
///   it is kept beside as `NAME.previous` (replacing an earlier `.previous` bundle).
package struct BundleDestination {
    /// Where the bundle ends up, and where a complete old one was kept.
    struct Outcome: Sendable, Equatable {
        var path: String
        var previousKeptAt: String?
    }

    let path: String
    let replace: Bool

    /// The hidden sibling a run writes into: `.NAME.new-PID`.
    var workingFolder: String { sibling(".\(name).new-\(getpid())") }
    /// Where a complete old bundle is kept when an incomplete run takes its place.
    var previousFolder: String { path + ".previous" }

    private var name: String { (path as NSString).lastPathComponent }

    private func sibling(_ name: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    /// Refuses a destination that is a file, a folder of other things, or (without `replace`)
    /// a bundle already there.
    func check() throws(BundleWriter.WriteError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw BundleWriter.WriteError(path: path, reason: "exists and is not a folder") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if entries.isEmpty { return }
        guard replace else { throw BundleWriter.WriteError(path: path, reason: "exists and is not empty; pass --force to replace it") }
        // Only a bundle may be replaced: never a folder of other things.
        guard Self.isBundle(entries) else { throw BundleWriter.WriteError(path: path, reason: "is not a Headroom bundle; refusing to replace it") }
    }

    /// Makes a fresh working folder (a stale one of an earlier process with this PID is removed).
    func makeWorkingFolder() throws(BundleWriter.WriteError) -> String {
        let folder = workingFolder
        let manager = FileManager.default
        try? manager.removeItem(atPath: folder)
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw BundleWriter.WriteError(path: folder, reason: FileErrorReason.describe(error))
        }
        return folder
    }

    /// Moves the finished working folder to the destination, by the rules above.
    func take(_ working: String, complete: Bool) throws(BundleWriter.WriteError) -> Outcome {
        // Checked again: something may have appeared there while recording.
        try check()
        let manager = FileManager.default
        guard manager.fileExists(atPath: path), !((try? manager.contentsOfDirectory(atPath: path)) ?? []).isEmpty else {
            try? manager.removeItem(atPath: path)
            try Self.rename(working, to: path)
            return Outcome(path: path)
        }
        if !complete && Self.isComplete(path) {
            let previous = previousFolder
            if manager.fileExists(atPath: previous) {
                let entries = (try? manager.contentsOfDirectory(atPath: previous)) ?? []
                guard entries.isEmpty || Self.isBundle(entries) else {
                    throw BundleWriter.WriteError(path: previous, reason: "is not a Headroom bundle, so the complete bundle at \(path) cannot be kept there; this run's bundle is left in \(working)")
                }
                try? manager.removeItem(atPath: previous)
            }
            try Self.rename(path, to: previous)
            try Self.rename(working, to: path)
            return Outcome(path: path, previousKeptAt: previous)
        }
        let aside = sibling(".\(name).old-\(getpid())")
        try? manager.removeItem(atPath: aside)
        try Self.rename(path, to: aside)
        do {
            try Self.rename(working, to: path)
        } catch {
            try? Self.rename(aside, to: path)
            throw error
        }
        try? manager.removeItem(atPath: aside)
        return Outcome(path: path)
    }

    /// A folder's entries look like a bundle: a manifest, or only what `sample` writes.
    static func isBundle(_ entries: [String]) -> Bool {
        entries.contains(BundleReader.manifestName) || entries.allSatisfy { $0.hasSuffix(".jsonl") || $0.hasSuffix(".partial") }
    }

    /// Whether `folder` holds a manifest that says the bundle is complete.
    static func isComplete(_ folder: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(BundleReader.manifestName)),
            let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data)
        else { return false }
        return manifest.complete
    }

    private static func rename(_ source: String, to target: String) throws(BundleWriter.WriteError) {
        guard Foundation.rename(source, target) == 0 else {
            throw BundleWriter.WriteError(path: target, reason: "could not move \(source) there: \(String(cString: strerror(errno)))")
        }
    }
}
