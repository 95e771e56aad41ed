#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's real-time clock in epoch seconds: the one place the wall clock is read.
public enum WallClock {
    /// Now, from `CLOCK_REALTIME`, with nanoseconds.
    public static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
