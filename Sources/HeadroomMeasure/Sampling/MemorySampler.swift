import HeadroomStore

/// Takes one `MemorySample` of a target at a time: its process tree from `/proc`, its memory
/// cgroup (v1 or v2) and the host. A target that goes away ends sampling with the reason.
public final class MemorySampler {
    public let target: SampleTarget
    public let cgroupChoice: CgroupChoice
    public let includeDescendants: Bool
    public let includeHost: Bool
    /// Things that happened while sampling (a server restart), for the bundle's notes; the
    /// first `noteLimit` only, so a server restarting all night keeps memory flat.
    public private(set) var notes: [String] = []
    public static let noteLimit = 20

    private let treeTracker: ProcessTreeTracker
    private let statusReader: ProcStatusReader
    private let locator: CgroupLocator
    private let hostReader: HostMemoryReader
    private var currentPID: Int?
    private var cgroup: CgroupLocation?
    private var cgroupDescription: String?
    private var serverMissingSince: Double?
    /// How long a workspace's server may be missing (restarting) before sampling stops.
    static let restartGraceSeconds = 10.0

    public init(
        target: SampleTarget, cgroup: CgroupChoice = .automatic, includeDescendants: Bool = true, includeHost: Bool = true,
        procRoot: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup"
    ) {
        self.target = target
        cgroupChoice = cgroup
        self.includeDescendants = includeDescendants
        self.includeHost = includeHost
        // Listing /proc is the costliest read: new processes are looked for every fourth sample.
        treeTracker = ProcessTreeTracker(reader: ProcessTreeReader(procRoot: procRoot), listingInterval: 4)
        statusReader = ProcStatusReader(procRoot: procRoot)
        locator = CgroupLocator(procRoot: procRoot, cgroupRoot: cgroupRoot)
        hostReader = HostMemoryReader(procRoot: procRoot)
    }

    /// A one-line description for the sample log's header.
    public var targetDescription: String {
        var text = target.summary
        if let cgroupDescription { text += ", \(cgroupDescription)" }
        return text
    }

    /// Finds the target before the first sample; throws the reason it cannot be sampled.
    public func prepare() throws(SamplerStop) {
        switch target {
        case .process(let pid):
            guard let status = statusReader.read(pid: pid) else { throw .targetGone("no process \(pid)") }
            guard !status.hasExited else { throw .targetGone("process \(pid) has already exited") }
            currentPID = pid
        case .bazelServer(let server):
            guard let pid = server.serverPID() else {
                throw .targetGone("no Bazel server runs for output base \(server.outputBase) (start one with a bazel command first)")
            }
            currentPID = pid
        case .cgroupOnly:
            break
        }
        switch cgroupChoice {
        case .automatic:
            if let pid = currentPID { cgroup = locator.locate(pid: pid) }
        case .path(let path):
            guard let location = locator.directory(forPath: path) else { throw .targetGone("no memory cgroup at \(path)") }
            cgroup = location
        case .none:
            break
        }
        if case .cgroupOnly = target, cgroup == nil { throw .targetGone("no cgroup to sample") }
        if let cgroup { cgroupDescription = "memory cgroup v\(cgroup.version) \(cgroup.path)" }
    }

    /// Keeps the files read on every sample open between samples.
    private let openFiles = KernelFileCache()

    /// One sample, or why sampling must stop.
    public func take() -> Result<MemorySample, SamplerStop> {
        openFiles.withActive { takeSample() }
    }

    private func takeSample() -> Result<MemorySample, SamplerStop> {
        var sample = MemorySample(time: SamplingLoop.wallSeconds())
        if case .bazelServer(let server) = target {
            guard let pid = server.serverPID() else {
                // A restart (new startup options) leaves a gap between the old server and the new.
                let now = SamplingLoop.monotonicSeconds()
                let since = serverMissingSince ?? now
                serverMissingSince = since
                guard now - since < Self.restartGraceSeconds else {
                    return .failure(.targetGone(
                        "the Bazel server (PID \(currentPID.map(String.init) ?? "?")) exited and no new one started within \(Int(Self.restartGraceSeconds)) s"))
                }
                if let location = cgroup { sample.cgroup = CgroupMemoryReader.read(location) }
                if includeHost { sample.host = hostReader.read() }
                return .success(sample)
            }
            serverMissingSince = nil
            if pid != currentPID {
                if notes.count < Self.noteLimit { notes.append("the Bazel server restarted: PID \(currentPID.map(String.init) ?? "?") became \(pid)") }
                currentPID = pid
                if case .automatic = cgroupChoice { cgroup = locator.locate(pid: pid) }
            }
        }
        if let pid = currentPID {
            guard let processes = readProcesses(pid) else { return .failure(.targetGone("process \(pid) exited")) }
            sample.processes = processes
        }
        if let location = cgroup {
            guard let memory = CgroupMemoryReader.read(location) else {
                if case .cgroupOnly = target { return .failure(.targetGone("memory cgroup \(location.path) was removed")) }
                notes.append("memory cgroup \(location.path) was removed; sampling the processes only")
                cgroup = nil
                return .success(sample)
            }
            sample.cgroup = memory
        }
        if includeHost { sample.host = hostReader.read() }
        return .success(sample)
    }

    private func readProcesses(_ pid: Int) -> ProcessTreeMemory? {
        if includeDescendants { return treeTracker.read(rootPID: pid) }
        guard let status = statusReader.read(pid: pid), !status.hasExited else { return nil }
        return ProcessTreeReader.summarize(rootPID: pid, members: [status.memory], rootPeak: status.memory.peakRSSBytes, largestCount: 1)
    }
}
