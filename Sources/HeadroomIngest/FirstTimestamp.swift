import HeadroomCore

/// The first uptime and wall-clock stamp of a log file, read from its first lines only.
package enum FirstTimestamp {
    struct Stamp {
        var uptime: Double?
        var wall: Double?
    }

    private struct Found: Error {}

    static func read(_ source: InputSource, maxLines: Int = 200) -> Stamp {
        guard let opened = try? InputOpener.open(source), opened.encoding != .zip else { return Stamp() }
        let reader = LineReader(source: opened.reader, bufferSize: 64 * 1024)
        var stamp = Stamp()
        var layout = UnifiedDecorators.Layout()
        _ = try? reader.forEachLine { line in
            if line.number > maxLines { throw Found() }
            let bytes = line.bytes
            if bytes.first == UInt8(ascii: "["), let decorators = UnifiedDecorators.locate(in: bytes, layout: &layout) {
                stamp.uptime = decorators.uptimeSeconds(in: bytes)
                stamp.wall = decorators.wallTimeSeconds(in: bytes)
            } else if let bracket = ByteCursor(bytes).index(ofByte: UInt8(ascii: "[")), bracket > 0 {
                let legacy = LegacyTimestamp.read(in: bytes, before: bracket)
                stamp.uptime = legacy.uptime
                stamp.wall = legacy.wall
            }
            if stamp.uptime != nil || stamp.wall != nil { throw Found() }
        }
        return stamp
    }
}
