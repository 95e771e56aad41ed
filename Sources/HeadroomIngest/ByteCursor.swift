#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomCore

/// A forward cursor over the bytes of one line, with the number and size parsing GC logs need.
///
/// Works on raw bytes so the hot path never builds a `String`; `,` is accepted as a decimal
/// separator because JVMs running in some locales print `0,0123 secs`.
public struct ByteCursor {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var position: Int

    public init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    @inline(__always) public var isAtEnd: Bool { position >= bytes.count }
    @inline(__always) public var remaining: Int { bytes.count - position }

    @inline(__always) public func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    /// Whether the bytes at the cursor start with `literal`.
    ///
    /// A byte loop rather than `memcmp`: the literals are short and most comparisons fail on
    /// the first byte, where a call would cost more than the comparison.
    @inline(__always) public func hasPrefix(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard remaining >= length else { return false }
        let text = literal.utf8Start
        let base = bytes.baseAddress! + position
        var index = 0
        while index < length {
            if base[index] != text[index] { return false }
            index += 1
        }
        return true
    }

    /// Moves past `literal` when it is next; returns whether it was.
    @inline(__always) public mutating func skip(_ literal: StaticString) -> Bool {
        guard hasPrefix(literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    @inline(__always) public mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == 9 {
            position += 1
        }
    }

    /// Index of the next occurrence of `literal` at or after the cursor.
    public func index(of literal: StaticString, from start: Int? = nil) -> Int? {
        let from = start ?? position
        let length = literal.utf8CodeUnitCount
        guard from <= bytes.count, bytes.count - from >= length, length > 0 else { return nil }
        guard let base = bytes.baseAddress else { return nil }
        // memchr for the first byte, memcmp for the rest: memmem is not in every libc's headers.
        let needle = literal.utf8Start
        let lastStart = bytes.count - length
        var index = from
        while index <= lastStart {
            guard let hit = memchr(base + index, Int32(needle[0]), lastStart - index + 1) else { return nil }
            let candidate = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + candidate, needle, length) == 0 { return candidate }
            index = candidate + 1
        }
        return nil
    }

    /// Index of the next `byte` at or after `start`.
    @inline(__always) public func index(ofByte byte: UInt8, from start: Int? = nil) -> Int? {
        let from = start ?? position
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `literal` occurs anywhere in the line.
    public func contains(_ literal: StaticString) -> Bool {
        index(of: literal, from: 0) != nil
    }

    /// Parses an unsigned decimal with optional fraction (`.` or `,` followed by a digit).
    ///
    /// Digits are gathered into an integer and scaled once, so `3.456` reads as the nearest
    /// double to 3.456, as `Double("3.456")` would. Digits past the 19th are dropped (scaled in
    /// the whole part), far beyond what a GC log prints.
    public mutating func parseDecimal() -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        let end = bytes.count
        var index = position
        var mantissa: UInt64 = 0
        var kept = 0
        let whole = Self.gatherDigits(base, &index, end, &mantissa, &kept)
        guard whole.read > 0 else { return nil }
        var fractionDigits = 0
        if index + 1 < end, base[index] == UInt8(ascii: ".") || base[index] == UInt8(ascii: ","), base[index + 1] &- 48 < 10 {
            index += 1
            let fraction = Self.gatherDigits(base, &index, end, &mantissa, &kept)
            fractionDigits = fraction.read - fraction.dropped
        }
        position = index
        var value = Double(mantissa)
        if whole.dropped > 0 { value *= Self.powerOfTen(whole.dropped) }
        if fractionDigits > 0 { value /= Self.powerOfTen(fractionDigits) }
        return value
    }

    /// Reads digits into `mantissa` while it holds fewer than 19; the rest are read and dropped.
    @inline(__always)
    private static func gatherDigits(
        _ base: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int, _ mantissa: inout UInt64, _ kept: inout Int
    ) -> (read: Int, dropped: Int) {
        var read = 0
        var dropped = 0
        while index < end {
            let digit = base[index] &- 48
            guard digit < 10 else { break }
            if kept < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                kept += 1
            } else {
                dropped += 1
            }
            read += 1
            index += 1
        }
        return (read, dropped)
    }

    /// 10 to the power `exponent`, exact up to 10^22.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        var value = 1.0
        var remaining = exponent
        while remaining >= 8 {
            value *= 100_000_000
            remaining -= 8
        }
        switch remaining {
        case 1: return value * 10
        case 2: return value * 100
        case 3: return value * 1000
        case 4: return value * 10_000
        case 5: return value * 100_000
        case 6: return value * 1_000_000
        case 7: return value * 10_000_000
        default: return value
        }
    }

    /// Parses an unsigned integer; nil when there is no digit or it overflows `Int64`.
    public mutating func parseInteger() -> Int64? {
        var index = position
        var value: Int64 = 0
        while index < bytes.count, let digit = Self.digitValue(bytes[index]) {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(digit))
            if overflowA || overflowB { return nil }
            value = sum
            index += 1
        }
        guard index > position else { return nil }
        position = index
        return value
    }

    /// Parses a size such as `24M`, `5000.0K`, `0.0B`, `1024K`, `3G` or `12345` (bytes).
    ///
    /// Units are binary (K = 1024), as the JVM prints them. Returns nil without moving on
    /// anything that is not a size.
    public mutating func parseSize() -> Int64? {
        let start = position
        guard let number = parseDecimal() else { return nil }
        var multiplier: Double = 1
        if let unit = peek() {
            switch unit {
            case UInt8(ascii: "B"): multiplier = 1; position += 1
            case UInt8(ascii: "K"), UInt8(ascii: "k"): multiplier = 1024; position += 1
            case UInt8(ascii: "M"), UInt8(ascii: "m"): multiplier = 1024 * 1024; position += 1
            case UInt8(ascii: "G"), UInt8(ascii: "g"): multiplier = 1024 * 1024 * 1024; position += 1
            case UInt8(ascii: "T"), UInt8(ascii: "t"): multiplier = 1024 * 1024 * 1024 * 1024; position += 1
            default: break
            }
            if multiplier > 1, peek() == UInt8(ascii: "B") { position += 1 }
        }
        guard let bytes = SafeArithmetic.bytes(number * multiplier) else {
            position = start
            return nil
        }
        return bytes
    }

    /// Parses a duration ending in `ms`, `s`, `us`/`µs` or `ns`, as milliseconds.
    public mutating func parseDurationMs() -> Double? {
        let start = position
        guard let value = parseDecimal() else { return nil }
        if skip("ms") || skip(" ms") { return value }
        if skip("us") || skip("\u{00B5}s") { return value / 1000 }
        if skip("ns") { return value / 1_000_000 }
        if skip(" secs") || skip(" sec") || skip("s") { return value * 1000 }
        position = start
        return nil
    }

    @inline(__always) static func digitValue(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }

    /// The bytes between two indices as a `String`, lossily decoded.
    public func string(from start: Int, to end: Int) -> String {
        let lower = max(0, min(start, bytes.count))
        let upper = max(lower, min(end, bytes.count))
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }
}
