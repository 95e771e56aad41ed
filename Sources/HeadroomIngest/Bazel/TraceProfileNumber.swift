import HeadroomCore

/// JSON number parsing on bytes, for `ts`/`dur` and for counter values written as strings.
package enum TraceJSONNumber {
    /// Parses a whole JSON number (`-12`, `3.5`, `1e-3`); nil when the bytes are anything else.
    ///
    /// Up to 19 significant digits are gathered into an integer and scaled once, which is exact
    /// for what profiles hold (integers, and short decimals); longer or extreme numbers go
    /// through the standard library's parser.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowSurroundingSpaces: Bool = false) -> Double? {
        var start = 0
        var end = bytes.count
        if allowSurroundingSpaces {
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        }
        var index = start
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var kept = 0
        var exponent = 0
        var wholeDigits = 0
        while index < end, bytes[index] &- 48 < 10 {
            if kept < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48)
                if mantissa != 0 { kept += 1 }
            } else {
                exponent += 1
            }
            wholeDigits += 1
            index += 1
        }
        guard wholeDigits > 0 else { return nil }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            while index < end, bytes[index] &- 48 < 10 {
                if kept < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48)
                    if mantissa != 0 { kept += 1 }
                    exponent -= 1
                }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
        }
        var longForm = kept >= 19
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var digits = 0
            while index < end, bytes[index] &- 48 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        if mantissa > (1 << 53) || exponent > 22 || exponent < -22 { longForm = true }
        if longForm {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return Double(text)
        }
        var value = Double(mantissa)
        if exponent > 0 { value *= powerOfTen(exponent) } else if exponent < 0 { value /= powerOfTen(-exponent) }
        return negative ? -value : value
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09
    }

    /// 10 to the power `exponent` (0...22), exact in a Double.
    @inline(__always) static func powerOfTen(_ exponent: Int) -> Double {
        var value = 1.0
        var remaining = exponent
        while remaining >= 4 {
            value *= 10_000
            remaining -= 4
        }
        while remaining > 0 {
            value *= 10
            remaining -= 1
        }
        return value
    }
}
