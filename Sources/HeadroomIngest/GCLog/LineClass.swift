import HeadroomCore

/// How the parser understood one input line; the basis of the coverage figures.
public enum LineClass: Sendable {
    /// A collection or pause.
    case event
    /// A fact about the JVM (collector, version, heap limits).
    case header
    /// A line of a known GC family the report does not need (phase timings, tables, ergonomics).
    case detail
    /// A well-formed unified-logging line of another JVM subsystem (class loading, JIT, safepoints).
    case otherSubsystem
    case blank
    case unrecognized
}
