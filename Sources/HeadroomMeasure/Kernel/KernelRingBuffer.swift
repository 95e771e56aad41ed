import Foundation
import HeadroomStore

/// The kernel's ring buffer as `dmesg` prints it: what `headroom oom` reads with no file given.
public enum KernelRingBuffer {
    /// Why the ring buffer could not be read, with what to do instead.
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The output of `dmesg` (found on PATH or in the system folders), run from an argument array.
    public static func read() throws(Failure) -> [UInt8] {
        // PATH first, then the system folders, where dmesg lives even when PATH leaves them out.
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/bin:/bin:/usr/sbin:/sbin"
        guard let executable = ExecutableSearch.find("dmesg", in: searchPath) else {
            throw Failure(reason: "dmesg not found; pass a kernel log file instead (journalctl -k > kernel.log)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(reason: "could not run \(executable): \(error)")
        }
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let detail = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(
                reason: "dmesg failed (status \(process.terminationStatus))\(detail.isEmpty ? "" : ": " + detail); run as root, or pass a kernel log file (journalctl -k > kernel.log)")
        }
        return [UInt8](bytes)
    }
}
