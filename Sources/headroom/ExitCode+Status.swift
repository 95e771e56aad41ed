import ArgumentParser
import HeadroomKit

extension ExitCode {
    /// Ends the command with one of the statuses of the shared table.
    init(_ status: ExitStatus) {
        self.init(status.rawValue)
    }
}
