import HeadroomAnalysis

/// Flags a Bazel server that was running before the measured scope was made, so the scope's
/// limit never applied to it.
public struct CgroupServerOutsideScopeRule: Rule {
    public static let description = RuleDescription(
        identifier: "cgroup.server-outside-scope",
        title: "The Bazel server ran outside the memory scope",
        rationale: """
            A systemd scope (or any cgroup) only holds processes started inside it. The Bazel client \
            reuses a server that is already running, so `systemd-run --scope -p MemoryMax=… bazel …` \
            started after the server limits the client only: the server, and the tests and actions it \
            forks (they inherit its cgroup), stay where the server was started. The limit then protects \
            nothing and the cgroup's figures leave the server out. Fires whenever the measured cgroup did \
            not contain the server; always critical, because the limit the user believes in is not there. \
            The fix, from systemd's documentation of scopes: `bazel shutdown`, then start the command \
            inside the scope so the new server is born there.
            """,
        triggeringExamples: [
            RuleExample("planned limit known", expecting: ["bazel shutdown", "systemd-run --scope -p MemoryMax=8G -p MemorySwapMax=0 bazel build //..."]) {
                $0.server.insideScope = false
                $0.planned.memoryMax = .gib(8)
            },
            RuleExample("measured limit and command", expecting: ["bazel shutdown", "-p MemoryMax=4G", "bazel test //...", "4.00 GiB"]) {
                $0.server.insideScope = false
                $0.cgroup.limit = .gib(4)
                $0.bazel.command = "test"
            },
            RuleExample("no limit known: a placeholder", expecting: ["-p MemoryMax=<limit>"]) {
                $0.server.insideScope = false
            },
        ],
        nonTriggeringExamples: [
            RuleExample("server inside the scope") {
                $0.server.insideScope = true
                $0.planned.memoryMax = .gib(8)
            },
            RuleExample("not known where the server ran") {
                $0.cgroup.limit = .gib(4)
            },
        ])

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let inside = facts.server.insideScope, !inside.value else { return [] }
        var evidence: [Finding.Evidence] = [.value("server inside the measured cgroup", inside)]
        let limit = MemoryLimitInForce(facts)
        if let limit { evidence.append(limit.evidence) }
        let maxArgument = limit.map { ByteSize.systemdArgument($0.bytes) } ?? "<limit>"
        let command = "bazel \(facts.bazel.command?.value ?? "build") //..."
        let limitText = limit.map { "\($0.name) of \(Formatting.bytes($0.bytes))" } ?? "the memory limit"
        return [
            Finding(
                rule: Self.description.identifier, severity: .critical,
                summary: "The Bazel server ran outside the memory scope, so \(limitText) did not apply to it; run bazel shutdown, then start the command inside the scope.",
                detail: "A scope only holds processes started inside it. The server was already running when the scope was made, and the client hands the command to it: the limit held the client, while the server and the tests and actions it forks stayed in the server's own cgroup. "
                    + "The cgroup's measured peak therefore leaves the server out. After `bazel shutdown` the next command starts a new server inside the scope, and the limit covers it and everything it runs.",
                evidence: evidence,
                commands: ["bazel shutdown", "systemd-run --scope -p MemoryMax=\(maxArgument) -p MemorySwapMax=0 \(command)"])
        ]
    }
}
