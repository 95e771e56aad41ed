import HeadroomCore

/// Interns the few distinct GC causes a log repeats (`G1 Evacuation Pause`, `Allocation Failure`),
/// so an event takes a shared `String` instead of building a new one.
package struct CauseNames {
    private var known: [(bytes: [UInt8], name: String)] = []
    static let limit = 64

    mutating func name(in line: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: line[range])
        for entry in known where entry.bytes.count == slice.count && entry.bytes.elementsEqual(slice) {
            return entry.name
        }
        let name = String(decoding: slice, as: UTF8.self)
        if known.count < Self.limit { known.append((Array(slice), name)) }
        return name
    }
}
