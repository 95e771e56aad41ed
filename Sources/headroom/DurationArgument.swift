import ArgumentParser

/// A duration on the command line: `250ms`, `2s`, `1.5m`, `1h`, `7d`, or plain seconds (`0.25`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var text = Substring(argument)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(text), value.isFinite, value > 0 else { return nil }
        seconds = value * scale
    }

    /// The default as help shows it: `250ms`, `24h`.
    var defaultValueDescription: String {
        // Days only from two on: a day reads better as `24h`.
        for (suffix, factor) in [("d", 86_400.0), ("h", 3600), ("m", 60), ("s", 1)]
        where seconds >= factor * (suffix == "d" ? 2 : 1) && (seconds / factor).rounded() == seconds / factor {
            return "\(Int(seconds / factor))\(suffix)"
        }
        return "\(Int((seconds * 1000).rounded()))ms"
    }
}
