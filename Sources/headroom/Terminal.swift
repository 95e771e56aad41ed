#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What the terminal around the program allows: colour only on a terminal and never with
/// `NO_COLOR` (https://no-color.org) or `TERM=dumb`.
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Whether text written to `descriptor` may carry ANSI colour.
    static func allowsColour(_ descriptor: Int32) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal(descriptor)
    }
}

/// Progress of long work on standard error, with the time since it started; silent with
/// `--quiet` or when standard error is not a terminal (a log file wants results, not ticks).
final class Progress {
    private let enabled: Bool
    private let start = Date()

    init(quiet: Bool) {
        enabled = !quiet && Terminal.isTerminal(STDERR_FILENO)
    }

    func say(_ message: String) {
        guard enabled else { return }
        StandardError.say(String(format: "[%6.1f s] ", Date().timeIntervalSince(start)) + message)
    }
}
