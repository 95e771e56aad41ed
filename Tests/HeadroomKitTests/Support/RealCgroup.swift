import Foundation

/// A real v1 memory cgroup made for one test, removed (its processes killed) when done.
final class RealCgroup {
    static let v1Root = "/sys/fs/cgroup/memory"

    /// Why the real-cgroup tests cannot run here, or nil when they can.
    static var unavailableReason: String? {
        guard getuid() == 0 else { return "not root: cannot create a memory cgroup" }
        guard FileManager.default.fileExists(atPath: v1Root + "/memory.limit_in_bytes") else {
            return "no cgroup v1 memory controller at \(v1Root)"
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return "python3 is missing" }
        return nil
    }

    let name: String
    var directory: String { Self.v1Root + "/" + name }
    /// The cgroup's path in its hierarchy, as `/proc/PID/cgroup` and the kernel print it.
    var path: String { "/" + name }

    init(limitBytes: Int64?) throws {
        name = "headroom-test-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        if let limitBytes { try write("\(limitBytes)", to: "memory.limit_in_bytes") }
    }

    func write(_ text: String, to file: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + file))
    }

    /// Moves a running process into the cgroup; its later children are born inside.
    func add(pid: Int32) throws {
        try write("\(pid)", to: "cgroup.procs")
    }

    /// Kills what is left inside and removes the cgroup (retrying while the kernel lets go).
    func destroy() {
        for _ in 0..<50 {
            let procs = (try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? ""
            for pid in procs.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            if rmdir(directory) == 0 || errno == ENOENT { return }
            usleep(100_000)
        }
    }

    deinit { destroy() }
}

/// A python3 process (and optionally a child) that allocates and touches a known amount of memory
/// once it has been moved into a cgroup, then holds it.
final class AllocatingWorkload {
    static let script = """
        import subprocess, sys, time
        mib, child_mib, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        sys.stdin.readline()
        child = None
        if child_mib > 0:
            child = subprocess.Popen([sys.executable, "-c",
                "import sys, time\\nb = bytearray(int(sys.argv[1]) << 20)\\nfor i in range(0, len(b), 4096): b[i] = 1\\nprint('child', flush=True)\\ntime.sleep(float(sys.argv[2]))",
                str(child_mib), str(hold)], stdout=subprocess.PIPE)
            child.stdout.readline()
        b = bytearray(mib << 20)
        for i in range(0, len(b), 4096):
            b[i] = 1
        print("ready", flush=True)
        time.sleep(hold)
        """

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    var pid: Int32 { process.processIdentifier }

    /// Starts the workload, moves it into `cgroup`, lets it allocate.
    init(in cgroup: RealCgroup, mebibytes: Int, childMebibytes: Int, holdSeconds: Double) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, "\(mebibytes)", "\(childMebibytes)", "\(holdSeconds)"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try cgroup.add(pid: process.processIdentifier)
        input.fileHandleForWriting.write(Data("go\n".utf8))
    }

    /// Waits for the workload to say it holds its memory; false when it died first.
    func waitUntilReady() -> Bool {
        let line = output.fileHandleForReading.availableData
        return String(decoding: line, as: UTF8.self).contains("ready")
    }

    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
