import Foundation

/// Human-readable figures for the terminal and Markdown reports.
public enum Formatting {
    /// `512.0 MiB`, `1.25 GiB`: binary units, as the JVM uses.
    public static func bytes(_ value: Int64?) -> String {
        guard let value else { return "unknown" }
        return bytes(Double(value))
    }

    public static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = abs(value)
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        let sign = value < 0 ? "-" : ""
        let digits = unit == 0 ? 0 : (scaled >= 100 ? 0 : (scaled >= 10 ? 1 : 2))
        return sign + String(format: "%.\(digits)f", scaled) + " " + units[unit]
    }

    public static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "unknown" }
        if value >= 1000 { return String(format: "%.2f s", value / 1000) }
        if value >= 10 { return String(format: "%.0f ms", value) }
        return String(format: "%.2f ms", value)
    }

    public static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return "unknown" }
        return String(format: fraction < 0.1 ? "%.2f %%" : "%.1f %%", fraction * 100)
    }

    public static func duration(seconds: Double?) -> String {
        guard let seconds else { return "unknown" }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        if seconds < 7200 { return String(format: "%.1f min", seconds / 60) }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f days", seconds / 86400)
    }
}
