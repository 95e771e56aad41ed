import Foundation
import HeadroomStore

/// One `record` run in progress: its bundle, the facts gathered so far, the notes for the
/// manifest, and the reasons, if any, that the bundle is incomplete.
package struct Recording {
    /// Why a recording did not cover the whole command.
    enum Stop: Sendable, Equatable {
        case interrupted, timedOut, serverDied, failed
    }

    let bundle: BundleWriter
    var facts: RecordFacts
    var notes: [String] = []
    private(set) var stops: [Stop] = []
    private let startedAt = ISOTime.format(epochSeconds: SamplingLoop.wallSeconds())

    init(bundle: BundleWriter, requestedCommand: [String]) {
        self.bundle = bundle
        facts = RecordFacts(requestedCommand: requestedCommand, command: [])
    }

    /// Marks the bundle incomplete, with a note saying why.
    mutating func stop(_ stop: Stop, _ note: String) {
        stops.append(stop)
        notes.append(note)
        if stop == .interrupted { facts.interrupted = true }
    }

    /// `record.json`: how the command ended, the server's JVM flags and scope.
    func writeFacts() throws {
        try AtomicFile.write(Data(try JSONRenderer.render(facts).utf8), to: bundle.path(of: "record.json"), overwrite: true)
        bundle.add("record.json", kind: .other, description: "how the command ended, the server's JVM flags and scope")
    }

    /// Lists the files the server wrote, fills in the manifest and closes the bundle, complete
    /// only when nothing stopped the recording.
    mutating func close() throws -> BundleWriter.Placement {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bundle.workingFolder)) ?? []
        for name in names.sorted() where name.hasPrefix("gc.log") {
            bundle.add(name, kind: .gcLog)
        }
        if names.contains("command.profile.gz") {
            bundle.add("command.profile.gz", kind: .traceProfile)
        }
        if facts.serverInsideScope == false {
            notes.append(
                "the Bazel server is outside the measured cgroup (\(facts.serverCgroup ?? "?") vs \(facts.recorderCgroup ?? "?")): it was started before the scope; run bazel shutdown first")
        }
        bundle.update { [facts, notes, startedAt] manifest in
            manifest.command = facts.requestedCommand
            manifest.startedAt = startedAt
            manifest.endedAt = ISOTime.format(epochSeconds: SamplingLoop.wallSeconds())
            manifest.exitStatus = facts.exitStatus
            manifest.notes = notes
        }
        return try bundle.close(complete: stops.isEmpty)
    }
}
