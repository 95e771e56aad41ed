import ArgumentParser
import Foundation
import HeadroomKit

/// `headroom oom [FILE|-]`: find kernel OOM kills and say whose they were.
struct OOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oom",
        abstract: "Find kernel OOM kills in a kernel log and tell a Bazel server's from a test's or action's.",
        discussion: """
            Reads dmesg output (plain, -T or -r), journalctl -k, /var/log/kern.log or /dev/kmsg records, \
            plain or gzip; '-' reads standard input. Without FILE, runs dmesg. Each kill is reported with \
            its victim's RSS, the constraint (memcg: a cgroup hit its own limit; global: the machine ran \
            out), the cgroup's limit and usage, the largest tasks, and a classification; give the Bazel \
            server's pid with --server-pid to make the classification certain. Exit status: 0 read (kills found or none); \
            1 the input is empty or no kernel log, so it cannot show whether anything was killed; \
            64 usage error; 3 the input (or dmesg) could not be read.
            """
    )

    @Argument(help: "A kernel log file or '-'. None: the output of dmesg.")
    var file: String?

    @OptionGroup var reportOptions: ReportOptions<DataFormat>

    @Option(name: .customLong("server-pid"), help: "PID of a Bazel server (bazel info server_pid); repeat for several.")
    var serverPIDs: [Int] = []

    func run() throws {
        let context = OOMClassificationContext(serverPIDs: Set(serverPIDs))
        let now = Date()
        // dmesg -T and syslog print local time without a zone, and syslog no year.
        let options = OOMReadOptions(
            utcOffsetSeconds: TimeZone.current.secondsFromGMT(for: now), referenceEpochSeconds: now.timeIntervalSince1970)
        let report: OOMReport
        if let file {
            do {
                report = try OOMReportReading.read(paths: [file], context: context, options: options)
            } catch {
                StandardError.say("\(error)")
                throw ExitCode(.inputUnreadable)
            }
        } else {
            report = OOMReportReading.read(bytes: try Self.dmesgOutput(), name: "dmesg", context: context, options: options)
        }
        let text: String =
            switch reportOptions.format {
            case .text: OOMTextRenderer.render(report)
            case .json: try JSONRenderer.render(report)
            }
        try reportOptions.write(text)
        for problem in report.unusableInputs { StandardError.say(problem) }
        if !report.unusableInputs.isEmpty { throw ExitCode(.partial) }
    }

    /// The kernel ring buffer as `dmesg` prints it; exit status 3 when it cannot be read.
    static func dmesgOutput() throws -> [UInt8] {
        do {
            return try KernelRingBuffer.read()
        } catch {
            StandardError.say(error.reason)
            throw ExitCode(.inputUnreadable)
        }
    }
}
