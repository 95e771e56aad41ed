import Foundation
import HeadroomPlan

/// A small line and scatter chart drawn as inline SVG: axes with units and nice ticks, a
/// legend, horizontal reference lines (max heap, MemoryMax) and vertical markers (OOM kills).
/// Every name is escaped; points that are not finite are left out.
public struct SVGChart: Sendable {
    /// How a series is drawn.
    public enum Style: Sendable {
        case line
        case dashedLine
        case dots
    }

    /// One named series of (x, y) points.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var style: Style
        public var color: String

        public init(_ name: String, points: [(x: Double, y: Double)], style: Style = .line, color: String) {
            self.name = name
            self.points = points.filter { $0.x.isFinite && $0.y.isFinite }
            self.style = style
            self.color = color
        }
    }

    /// A horizontal line at a y value.
    public struct Reference: Sendable {
        public var name: String
        public var value: Double
        public var color: String

        public init(_ name: String, value: Double, color: String) {
            self.name = name
            self.value = value
            self.color = color
        }
    }

    /// Vertical lines at x values, one legend entry for all of them.
    public struct Markers: Sendable {
        public var name: String
        public var positions: [Double]
        public var color: String

        public init(_ name: String, positions: [Double], color: String) {
            self.name = name
            self.positions = positions.filter(\.isFinite)
            self.color = color
        }
    }

    public var title: String
    public var xTitle: String
    public var xQuantity: ChartAxis.Quantity
    public var yTitle: String
    public var yQuantity: ChartAxis.Quantity
    public var series: [Series] = []
    public var references: [Reference] = []
    public var markers: [Markers] = []
    public var width = 860.0
    public var height = 300.0

    public init(title: String, xTitle: String, xQuantity: ChartAxis.Quantity, yTitle: String, yQuantity: ChartAxis.Quantity) {
        self.title = title
        self.xTitle = xTitle
        self.xQuantity = xQuantity
        self.yTitle = yTitle
        self.yQuantity = yQuantity
    }

    /// True when no series has a point: such a chart is left out.
    public var isEmpty: Bool { series.allSatisfy(\.points.isEmpty) }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let references = drawnReferences
        let xs = series.flatMap { $0.points.map(\.x) } + markers.flatMap(\.positions)
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.value)
        let xAxis = ChartAxis(xQuantity, values: xs, fromZero: xQuantity != .seconds || (xs.min() ?? 0) >= 0)
        let yAxis = ChartAxis(yQuantity, values: ys, fromZero: true, targetTicks: 6)

        let legend = legendEntries()
        let legendRows = layOutLegend(legend)
        let left = 64.0, right = width - 18, top = 26.0
        let bottom = height - 52 - Double(legendRows.count) * 18
        func x(_ value: Double) -> Double { left + xAxis.fraction(value) * (right - left) }
        func y(_ value: Double) -> Double { bottom - yAxis.fraction(value) * (bottom - top) }

        var svg: [String] = []
        svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
        )
        svg.append("<title>\(HTMLText.escape(title))</title>")
        svg.append("<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" class=\"plot\"/>")
        for tick in yAxis.ticks {
            let position = y(tick)
            svg.append("<line x1=\"\(n(left))\" y1=\"\(n(position))\" x2=\"\(n(right))\" y2=\"\(n(position))\" class=\"grid\"/>")
            svg.append("<text x=\"\(n(left - 6))\" y=\"\(n(position + 4))\" class=\"tick\" text-anchor=\"end\">\(yAxis.label(tick))</text>")
        }
        let xTicks = thinned(xAxis.ticks, room: right - left)
        for tick in xTicks {
            let position = x(tick)
            svg.append("<line x1=\"\(n(position))\" y1=\"\(n(top))\" x2=\"\(n(position))\" y2=\"\(n(bottom))\" class=\"grid\"/>")
            svg.append("<text x=\"\(n(position))\" y=\"\(n(bottom + 16))\" class=\"tick\" text-anchor=\"middle\">\(xAxis.label(tick))</text>")
        }
        svg.append("<line x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\" class=\"axis\"/>")
        svg.append("<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(bottom))\" class=\"axis\"/>")
        svg.append("<text x=\"\(n(left))\" y=\"\(n(top - 10))\" class=\"axis-title\">\(HTMLText.escape(yTitle)) (\(yAxis.unit))</text>")
        svg.append(
            "<text x=\"\((n((left + right) / 2)))\" y=\"\(n(bottom + 34))\" class=\"axis-title\" text-anchor=\"middle\">\(HTMLText.escape(xTitle)) (\(xAxis.unit))</text>"
        )

        for reference in references {
            let position = y(reference.value)
            svg.append(
                "<line x1=\"\(n(left))\" y1=\"\(n(position))\" x2=\"\(n(right))\" y2=\"\(n(position))\" stroke=\"\(reference.color)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            )
        }
        for group in markers {
            for position in group.positions {
                svg.append(
                    "<line x1=\"\(n(x(position)))\" y1=\"\(n(top))\" x2=\"\(n(x(position)))\" y2=\"\(n(bottom))\" stroke=\"\(group.color)\" stroke-width=\"2\"/>"
                )
                svg.append("<path d=\"M\(n(x(position) - 5)) \(n(top))h10l-5 8z\" fill=\"\(group.color)\"/>")
            }
        }
        for item in series where !item.points.isEmpty {
            switch item.style {
            case .line, .dashedLine:
                let coordinates = item.points.map { "\(n(x($0.x))),\(n(y($0.y)))" }.joined(separator: " ")
                let dash = item.style == .dashedLine ? " stroke-dasharray=\"8 4\"" : ""
                svg.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"1.6\"\(dash)/>")
                if item.points.count == 1 {
                    svg.append("<circle cx=\"\(n(x(item.points[0].x)))\" cy=\"\(n(y(item.points[0].y)))\" r=\"3\" fill=\"\(item.color)\"/>")
                }
            case .dots:
                svg.append("<g fill=\"\(item.color)\">")
                for point in item.points {
                    svg.append("<circle cx=\"\(n(x(point.x)))\" cy=\"\(n(y(point.y)))\" r=\"2.5\"/>")
                }
                svg.append("</g>")
            }
        }
        var legendY = height - 14 - Double(legendRows.count - 1) * 18
        for row in legendRows {
            for (entry, offset) in row {
                let at = left + offset
                switch entry.kind {
                case .line(let style):
                    if style == .dots {
                        svg.append("<circle cx=\"\(n(at + 9))\" cy=\"\(n(legendY - 4))\" r=\"3.5\" fill=\"\(entry.color)\"/>")
                    } else {
                        let dash = style == .dashedLine ? " stroke-dasharray=\"5 3\"" : ""
                        svg.append(
                            "<line x1=\"\(n(at))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(at + 18))\" y2=\"\(n(legendY - 4))\" stroke=\"\(entry.color)\" stroke-width=\"2.5\"\(dash)/>"
                        )
                    }
                case .reference:
                    svg.append(
                        "<line x1=\"\(n(at))\" y1=\"\(n(legendY - 4))\" x2=\"\(n(at + 18))\" y2=\"\(n(legendY - 4))\" stroke=\"\(entry.color)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
                    )
                case .marker:
                    svg.append("<line x1=\"\(n(at + 9))\" y1=\"\(n(legendY - 11))\" x2=\"\(n(at + 9))\" y2=\"\(n(legendY + 3))\" stroke=\"\(entry.color)\" stroke-width=\"2\"/>")
                }
                svg.append("<text x=\"\(n(at + 24))\" y=\"\(n(legendY))\" class=\"legend\">\(HTMLText.escape(entry.label))</text>")
            }
            legendY += 18
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    private struct LegendEntry {
        enum Kind {
            case line(Style)
            case reference
            case marker
        }
        var label: String
        var color: String
        var kind: Kind
    }

    /// A reference far above the data (an -Xmx of 6 GiB over 200 MiB of RSS) would squash the
    /// series to the floor: such a reference is named in the legend, not drawn.
    static let offScaleFactor = 4.0

    private var drawnReferences: [Reference] {
        let dataMax = series.flatMap { $0.points.map(\.y) }.max() ?? 0
        return references.filter { $0.value.isFinite && (dataMax <= 0 || $0.value <= Self.offScaleFactor * dataMax) }
    }

    private func legendEntries() -> [LegendEntry] {
        var entries = series.filter { !$0.points.isEmpty }.map { LegendEntry(label: $0.name, color: $0.color, kind: .line($0.style)) }
        let drawn = drawnReferences.map(\.name)
        entries += references.filter { $0.value.isFinite }.map {
            LegendEntry(label: drawn.contains($0.name) ? $0.name : "\($0.name) (off scale, not drawn)", color: $0.color, kind: .reference)
        }
        entries += markers.filter { !$0.positions.isEmpty }.map { LegendEntry(label: $0.name, color: $0.color, kind: .marker) }
        return entries
    }

    /// Legend entries in rows that fit the width, each with its offset from the plot's left.
    private func layOutLegend(_ entries: [LegendEntry]) -> [[(LegendEntry, Double)]] {
        var rows: [[(LegendEntry, Double)]] = [[]]
        var offset = 0.0
        let room = width - 64 - 18
        for entry in entries {
            let entryWidth = 24 + Self.textWidth(entry.label) + 18
            if offset > 0 && offset + entryWidth > room {
                rows.append([])
                offset = 0
            }
            rows[rows.count - 1].append((entry, offset))
            offset += entryWidth
        }
        return rows
    }

    /// Keeps every k-th tick so labels do not collide.
    private func thinned(_ ticks: [Double], room: Double) -> [Double] {
        guard ticks.count > 2 else { return ticks }
        let spacing = room / Double(ticks.count - 1)
        let every = Int((48 / spacing).rounded(.up))
        return every <= 1 ? ticks : ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element)
    }

    /// A rough width of a label in the legend's 12 px sans-serif font.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.6 }

    /// A coordinate with one decimal, never `nan` or `inf`.
    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
