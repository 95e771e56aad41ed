import Foundation
import HeadroomKit

/// Runs the built `headroom` binary with an argument array (no shell) and keeps what it printed.
enum HeadroomCLI {
    /// What one run printed and how it ended.
    struct Result {
        var status: Int32?
        var output: String
        var errors: String
        var outputBytes: [UInt8]
    }

    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: builtHeadroom) }

    /// Runs `headroom ARGUMENTS…`; `prefix` goes before the binary (e.g. `setpriv …`).
    static func run(_ arguments: [String], prefix: [String] = [], in directory: URL? = nil, timeoutSeconds: Double = 120) throws -> Result {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let errors = folder.appendingPathComponent("err").path
        let outcome = try CommandRunner.run(
            prefix + [builtHeadroom] + arguments, outputPath: output, errorPath: errors, workingDirectory: directory?.path,
            timeoutSeconds: timeoutSeconds, graceSeconds: 2)
        let bytes = [UInt8](FileManager.default.contents(atPath: output) ?? Data())
        return Result(
            status: outcome.exitStatus, output: String(decoding: bytes, as: UTF8.self),
            errors: String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self), outputBytes: bytes)
    }
}
