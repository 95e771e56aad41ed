import HeadroomCore

/// The time stamps and sizes found in memory series made by other tools.
package enum SeriesFields {
    /// Seconds: a plain number (epoch or relative, integer or decimal) or an ISO-8601 stamp
    /// (`2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.5+02:00`; without a zone, UTC).
    package static func seconds(_ token: Substring) -> Double? {
        if isDecimal(token) {
            guard let value = Double(token), value.isFinite else { return nil }
            return value
        }
        var bytes = Array(token.utf8)
        // A stamp starts with a four-digit year and a dash; a space may stand for the `T`.
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-") else { return nil }
        if bytes[10] == UInt8(ascii: " ") { bytes[10] = UInt8(ascii: "T") }
        return bytes.withUnsafeBufferPointer { WallClockParser.epochSeconds(in: $0, range: 0..<$0.count) }
    }

    /// Digits with at most one decimal point, and at least one digit.
    static func isDecimal(_ token: Substring) -> Bool {
        var digits = 0
        var points = 0
        for byte in token.utf8 {
            if byte >= 48, byte <= 57 {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                points += 1
            } else {
                return false
            }
        }
        return digits > 0 && points <= 1
    }

    /// A size: bytes, or a number with a binary unit (`kB`, `KiB`, `123M`, `1.5G`); the unit may
    /// also come as `unit`, the next field. Nil when damaged, negative or beyond `Int64`.
    package static func bytes(_ token: Substring, unit separateUnit: Substring? = nil) -> Int64? {
        let numberEnd = token.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? token.endIndex
        let number = token[..<numberEnd]
        let attached = token[numberEnd...]
        guard isDecimal(number) else { return nil }
        if !attached.isEmpty, separateUnit != nil { return nil }
        guard let multiplier = unitMultiplier(separateUnit ?? attached) else { return nil }
        if !number.contains("."), let whole = KernelText.integer(number) {
            return KernelText.scaled(whole, by: multiplier)
        }
        guard let value = Double(number) else { return nil }
        return SafeArithmetic.bytes(value * Double(multiplier))
    }

    /// The bytes in one `unit`; units are binary (k = 1024), as `/proc` and `ps` mean them.
    static func unitMultiplier(_ unit: Substring) -> Int64? {
        switch unit.lowercased() {
        case "", "b": 1
        case "k", "kb", "kib": 1 << 10
        case "m", "mb", "mib": 1 << 20
        case "g", "gb", "gib": 1 << 30
        case "t", "tb", "tib": 1 << 40
        default: nil
        }
    }

    /// Whether `token` is a unit name alone (`kB`, `MiB`).
    static func isUnit(_ token: Substring) -> Bool {
        !token.isEmpty && token.allSatisfy(\.isLetter) && unitMultiplier(token) != nil
    }
}
