/// The version of Headroom, written into every report.
public enum HeadroomVersion {
    public static let current = "0.1.0"
}
