import HeadroomCore

/// Parses pressure-stall information (PSI): `some avg10=0.12 avg60=0.05 avg300=0.01 total=12345`
/// and a `full` line, as in `/proc/pressure/memory` and a cgroup's `memory.pressure`.
public enum PressureParser {
    /// Both lines of a PSI file; nil when neither line can be read.
    public static func parse(_ text: String) -> MemoryPressure? {
        var pressure = MemoryPressure(some: nil, full: nil)
        for line in text.split(whereSeparator: \.isNewline) {
            guard let (kind, stall) = parseLine(line) else { continue }
            switch kind {
            case "some": if pressure.some == nil { pressure.some = stall }
            case "full": if pressure.full == nil { pressure.full = stall }
            default: break
            }
        }
        return pressure.some == nil && pressure.full == nil ? nil : pressure
    }

    /// One line: its kind (`some`, `full`) and figures; nil unless all four figures are there
    /// and sane. Fields may come in any order, and unknown fields are ignored.
    public static func parseLine(_ line: Substring) -> (kind: Substring, stall: PressureStall)? {
        let fields = line.split(whereSeparator: KernelText.isBlank)
        guard let kind = fields.first else { return nil }
        var avg10: Double?
        var avg60: Double?
        var avg300: Double?
        var total: Int64?
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let key = field[..<equals]
            let value = field[field.index(after: equals)...]
            switch key {
            case "avg10": avg10 = percentage(value)
            case "avg60": avg60 = percentage(value)
            case "avg300": avg300 = percentage(value)
            case "total": total = KernelText.integer(value)
            default: continue
            }
        }
        guard let avg10, let avg60, let avg300, let total else { return nil }
        return (kind, PressureStall(avg10: avg10, avg60: avg60, avg300: avg300, totalMicroseconds: total))
    }

    /// A share of time in percent, as the kernel prints it (`12.34`); nil outside 0...100.
    private static func percentage(_ text: Substring) -> Double? {
        // Double() also takes "nan", "inf" and hex: accept only what the kernel writes.
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }) else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0, value <= 100 else { return nil }
        return value
    }
}
