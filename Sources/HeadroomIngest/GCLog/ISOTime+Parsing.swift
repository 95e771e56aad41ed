import HeadroomCore

extension ISOTime {
    /// Epoch seconds of an ISO-8601 stamp (`2026-11-21T22:44:25.139Z`, `…+01:00`); a stamp
    /// without an offset reads as UTC. Nil when it is not one.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes in
            WallClockParser.epochSeconds(in: bytes, range: 0..<bytes.count)
        }
    }
}
