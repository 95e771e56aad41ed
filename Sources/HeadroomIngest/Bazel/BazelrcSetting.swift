import HeadroomCore

/// A setting read from rc options: its parsed value, the flag and text it came from, and where.
public struct RcSetting<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    /// The flag that set it, without dashes (`gc_thrashing_threshold`, `host_jvm_args`).
    public var flag: String
    /// The value as written (`HOST_RAM*.67`, `-Xmx8g`).
    public var text: String
    public var location: SourceLocation

    public init(value: Value, flag: String, text: String, location: SourceLocation) {
        self.value = value
        self.flag = flag
        self.text = text
        self.location = location
    }
}
