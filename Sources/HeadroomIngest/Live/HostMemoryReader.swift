import HeadroomCore

/// Reads the machine's memory from `/proc/meminfo` and `/proc/pressure/memory`.
public struct HostMemoryReader: Sendable {
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// The host's memory; nil when `meminfo` cannot be read. Pressure is nil on kernels
    /// without PSI (before 4.20, or booted with `psi=0`).
    public func read() -> HostMemory? {
        guard let text = KernelFile.text(KernelFile.join(procRoot, "meminfo")) else { return nil }
        var host = Self.parseMeminfo(text)
        host.pressure = KernelFile.text(KernelFile.join(procRoot, "pressure/memory")).flatMap(PressureParser.parse)
        return host
    }

    /// `MemTotal:  24684240 kB` lines as bytes; missing or damaged lines are nil.
    public static func parseMeminfo(_ text: String) -> HostMemory {
        var host = HostMemory()
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...]
            switch line[..<colon] {
            case "MemTotal": host.totalBytes = host.totalBytes ?? ProcStatusReader.kilobytes(value)
            case "MemAvailable": host.availableBytes = host.availableBytes ?? ProcStatusReader.kilobytes(value)
            case "SwapTotal": host.swapTotalBytes = host.swapTotalBytes ?? ProcStatusReader.kilobytes(value)
            case "SwapFree": host.swapFreeBytes = host.swapFreeBytes ?? ProcStatusReader.kilobytes(value)
            default: continue
            }
        }
        return host
    }
}
