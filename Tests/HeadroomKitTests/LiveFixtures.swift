import Foundation
import HeadroomKit

/// The fixture folders of the live and series readers, and fake `/proc` trees built from them.
enum LiveFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// A `/proc`-like folder in a temporary directory, removed by `cleanUp`.
    final class FakeProc {
        let root: URL
        var path: String { root.path }

        init() throws {
            root = try TestSupport.temporaryDirectory()
        }

        func cleanUp() {
            try? FileManager.default.removeItem(at: root)
        }

        /// Writes `text` at `relative`, making folders on the way.
        func write(_ relative: String, _ text: String) throws {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func makeDirectory(_ relative: String) throws {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(relative), withIntermediateDirectories: true)
        }

        /// A process with the captured python3 status and stat files, its figures replaced.
        func addProcess(pid: Int, parent: Int, name: String, rssKB: Int, anonKB: Int, fileKB: Int, peakKB: Int? = nil) throws {
            var status: [String] = []
            for line in try LiveFixtures.text("proc/python3.status").split(separator: "\n", omittingEmptySubsequences: false) {
                let key = line.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                switch key {
                case "Name": status.append("Name:\t\(name)")
                case "Pid", "Tgid": status.append("\(key):\t\(pid)")
                case "PPid": status.append("PPid:\t\(parent)")
                case "VmRSS": status.append("VmRSS:\t\(pad(rssKB)) kB")
                case "VmHWM": status.append("VmHWM:\t\(pad(peakKB ?? rssKB)) kB")
                case "RssAnon": status.append("RssAnon:\t\(pad(anonKB)) kB")
                case "RssFile": status.append("RssFile:\t\(pad(fileKB)) kB")
                default: status.append(String(line))
                }
            }
            try write("\(pid)/status", status.joined(separator: "\n"))
            let captured = try LiveFixtures.text("proc/python3.stat")
            let afterParent = captured[captured.lastIndex(of: ")")!...].split(separator: " ").dropFirst(3).joined(separator: " ")
            try write("\(pid)/stat", "\(pid) (\(name.prefix(15))) S \(parent) \(afterParent)")
        }

        private func pad(_ value: Int) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, 8 - text.count)) + text
        }
    }
}
