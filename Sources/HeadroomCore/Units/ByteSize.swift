/// Binary byte units, as the JVM and the kernel count them.
public enum ByteSize {
    public static let kib: Int64 = 1 << 10
    public static let mib: Int64 = 1 << 20
    public static let gib: Int64 = 1 << 30

    /// `bytes` rounded up to a multiple of `step`.
    public static func roundUp(_ bytes: Int64, to step: Int64) -> Int64 {
        guard step > 0, bytes > 0 else { return max(bytes, 0) }
        let (quotient, remainder) = bytes.quotientAndRemainder(dividingBy: step)
        return remainder == 0 ? bytes : (quotient + 1).multipliedReportingOverflow(by: step).partialValue
    }

    /// A JVM size argument for `bytes` (`14g`, `1536m`, `800k`), exact: rounded up to whole MiB.
    public static func jvmArgument(_ bytes: Int64) -> String {
        if bytes >= gib, bytes % gib == 0 { return "\(bytes / gib)g" }
        return "\(roundUp(bytes, to: mib) / mib)m"
    }

    /// A systemd size (`1536M`, `14G`), rounded up to whole MiB.
    public static func systemdArgument(_ bytes: Int64) -> String {
        if bytes >= gib, bytes % gib == 0 { return "\(bytes / gib)G" }
        return "\(roundUp(bytes, to: mib) / mib)M"
    }
}
