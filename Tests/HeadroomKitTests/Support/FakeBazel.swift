import Foundation

/// A shell script standing in for `bazel`, for `headroom record` tests that need a Bazel that
/// misbehaves on purpose: it answers `--version` and `info` as `record` asks them, and does what
/// the test says for every other command.
///
/// `record` asks `bazel info output_base` first and follows the server whose PID is in
/// `OUTPUT_BASE/server/server.pid.txt`; with `serverPID` the fake names that process as its
/// server, without one there is no server (as with `--batch`).
struct FakeBazel {
    /// What the fake does for the command (`build`, …).
    enum Behaviour {
        /// Prints a line and exits 0.
        case succeed
        /// Writes its arguments, each followed by a NUL byte, to the file, and exits 0.
        case recordArguments(to: String)
        /// Starts children and grandchildren that ignore SIGINT (one of them in a process group
        /// of its own), writes each one's PID to the file, and waits for them.
        case hang(pidFile: String)
        /// Writes to standard output (a file in the bundle) until the disk is full, then exits 0.
        case fillDisk
    }

    let path: String
    let outputBase: String

    /// Writes the script into `folder`. `marker` is created whenever the fake is run at all.
    init(in folder: URL, behaviour: Behaviour, serverPID: Int32? = nil, marker: String? = nil) throws {
        path = folder.appendingPathComponent("fake-bazel").path
        outputBase = folder.appendingPathComponent("fake-output-base").path
        try FileManager.default.createDirectory(atPath: outputBase + "/server", withIntermediateDirectories: true)
        if let serverPID { try Data("\(serverPID)\n".utf8).write(to: URL(fileURLWithPath: outputBase + "/server/server.pid.txt")) }
        let command: String
        switch behaviour {
        case .succeed:
            command = "echo 'INFO: Build completed successfully'"
        case .recordArguments(let file):
            command = "printf '%s\\0' \"$@\" > \(Self.quoted(file))"
        case .hang(let pidFile):
            let file = Self.quoted(pidFile)
            let ownGroup = "import os, signal, sys, time; os.setpgid(0, 0); signal.signal(signal.SIGINT, signal.SIG_IGN); open(sys.argv[1], 'a').write('%d\\n' % os.getpid()); time.sleep(1000)"
            command = """
                trap '' INT
                echo $$ >> \(file)
                sleep 1000 & echo $! >> \(file)
                sh -c 'trap "" INT; echo $$ >> "$1"; sleep 1000 & echo $! >> "$1"; wait' grandparent \(file) &
                python3 -c \(Self.quoted(ownGroup)) \(file) &
                wait
                """
        case .fillDisk:
            command = "yes 'filling the disk' | head -c 100000000; echo 'INFO: Build completed successfully'"
        }
        let script = """
            #!/bin/sh
            \(marker.map { "touch \(Self.quoted($0))" } ?? "")
            for word in "$@"; do
              if [ "$word" = --version ]; then echo 'bazel 7.1.0'; exit 0; fi
            done
            while [ $# -gt 0 ]; do
              case "$1" in -*) shift ;; *) break ;; esac
            done
            verb=$1
            shift
            if [ "$verb" = info ]; then
              if [ "$*" = output_base ]; then echo \(Self.quoted(outputBase)); exit 0; fi
              echo 'release: release 7.1.0'
              echo 'output_base: \(outputBase)'
              echo 'used-heap-size-after-gc: 10MB'
              exit 0
            fi
            \(command)

            """
        try Self.writeExecutable(script, to: path)
    }

    /// Writes the script through a descriptor closed on exec: a program another test starts
    /// meanwhile would otherwise inherit it open for writing, and running the script would then
    /// fail with ETXTBSY ("Text file busy") for as long as that program runs.
    static func writeExecutable(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }

    /// `text` in single quotes for sh.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
