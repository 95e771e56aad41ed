import Foundation
import Testing
import HeadroomKit

/// The streaming estimators and the live-set basis.
@Suite struct AnalysisTests {
    @Test func quantileSketchIsWithinOnePercentOfExact() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = []
        var sketch = QuantileSketch()
        for _ in 0..<50_000 {
            // Log-normal-ish pause times from 0.01 ms to minutes.
            let value = exp(Double.random(in: -4.6...12, using: &generator))
            values.append(value)
            sketch.add(value)
        }
        values.sort()
        for q in [0.5, 0.9, 0.99] {
            let exact = values[Int((q * Double(values.count - 1)).rounded(.down))]
            let estimate = sketch.quantile(q)!
            #expect(abs(estimate - exact) / exact < 0.01, "q\(q): \(estimate) vs \(exact)")
        }
        #expect(sketch.quantile(1) == values.last)
    }

    @Test func linearTrendRecoversASlope() {
        var trend = LinearTrend()
        for hour in 0..<100 { trend.add(x: Double(hour) / 10, y: 1000 + 50 * Double(hour) / 10) }
        #expect(abs(trend.slope! - 50) < 1e-6)
        #expect(trend.goodnessOfFit! > 0.999)
        var flat = LinearTrend()
        for index in 0..<100 { flat.add(x: Double(index), y: index % 2 == 0 ? 10 : 20) }
        #expect(abs(flat.slope!) < 0.2)
        #expect(flat.goodnessOfFit! < 0.05)
    }

    @Test func pointSeriesStaysBounded() {
        var series = PointSeries(capacity: 64)
        for index in 0..<100_000 { series.add(time: Double(index), value: 1) }
        #expect(series.points.count <= 64)
        #expect(series.points.first?.timeSeconds == 0)
        #expect(series.points.last!.timeSeconds > 90_000)
    }

    @Test func fullCollectionsGiveAnExactLiveSet() throws {
        var log = "[0.001s][info][gc] Using Parallel\n"
        for index in 0..<10 {
            log += "[\(index * 10 + 5).000s][info][gc] GC(\(2 * index)) Pause Young (Allocation Failure) 300M->\(100 + index)M(1024M) 10.000ms\n"
            log += "[\(index * 10 + 9).000s][info][gc] GC(\(2 * index + 1)) Pause Full (Ergonomics) 400M->\(50 + index)M(1024M) 100.000ms\n"
        }
        let summary = try TestSupport.analyze(log)
        let live = try #require(summary.liveSet)
        #expect(live.basis == .afterFullGC)
        #expect(!live.isUpperBound)
        #expect(live.peakBytes == 59 << 20)
        #expect(summary.fullGCCount == 10)
        #expect(summary.pauseCount == 20)
        #expect(abs(summary.pauseTotalMs - 1100) < 1e-6)
        #expect(live.slopeBytesPerHour! > 0)
    }

    @Test func youngOnlyLogsGiveOnlyAnUpperBound() throws {
        var log = ""
        for index in 0..<10 {
            log += "[\(index + 1).000s][info][gc] GC(\(index)) Pause Young (Allocation Failure) 300M->100M(1024M) 10.000ms\n"
        }
        let summary = try TestSupport.analyze(log)
        let live = try #require(summary.liveSet)
        #expect(live.basis == .afterYoungGC)
        #expect(live.isUpperBound)
        #expect(summary.warnings.contains { $0.contains("bounded from above") })
    }

    @Test func g1LiveSetIsTakenAfterTheMixedPhase() throws {
        let log = """
            [0.001s][info][gc] Using G1
            [1.000s][info][gc] GC(0) Pause Young (Concurrent Start) (G1 Evacuation Pause) 500M->400M(1024M) 10.000ms
            [1.500s][info][gc] GC(1) Pause Remark 420M->420M(1024M) 2.000ms
            [2.000s][info][gc] GC(2) Pause Young (Prepare Mixed) (G1 Evacuation Pause) 500M->390M(1024M) 10.000ms
            [2.500s][info][gc] GC(3) Pause Young (Mixed) (G1 Evacuation Pause) 450M->300M(1024M) 10.000ms
            [3.000s][info][gc] GC(4) Pause Young (Mixed) (G1 Evacuation Pause) 380M->250M(1024M) 10.000ms
            [3.500s][info][gc] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 350M->260M(1024M) 10.000ms
            [4.000s][info][gc] GC(6) Pause Young (Concurrent Start) (G1 Evacuation Pause) 500M->400M(1024M) 10.000ms
            """
        let summary = try TestSupport.analyze(log + "\n")
        let live = try #require(summary.liveSet)
        #expect(live.basis == .endOfCycle)
        #expect(live.peakBytes == 250 << 20)
        #expect(live.observations == 1)
    }

    @Test func backToBackIneffectiveFullCollectionsAreThrashing() throws {
        var log = "[0.001s][info][gc] Using Parallel\n"
        for index in 0..<6 {
            log += "[\(index + 1).000s][info][gc] GC(\(index)) Pause Full (Ergonomics) 127M->126M(128M) 300.000ms\n"
        }
        let summary = try TestSupport.analyze(log)
        #expect(summary.thrashing.ineffectiveBackToBackFullGCs == 5)
        #expect(summary.thrashing.maxOccupancyAfterFullGCFraction! > 0.95)
        #expect(summary.gcTimeFraction! > 0.3)
    }

    @Test func manyJVMRunsKeepTheListBounded() throws {
        var log = ""
        for run in 0..<300 {
            log += "[0.005s][info][gc] Using Parallel\n"
            log += "[1.000s][info][gc] GC(0) Pause Young (Allocation Failure) 64M->\(10 + run % 7)M(245M) 8.000ms\n"
        }
        let summary = try TestSupport.analyze(log)
        #expect(summary.segmentCount == 300)
        #expect(summary.segments.count == 100)
        #expect(summary.segments.first?.index == 0)
        #expect(summary.segments.last?.index == 299)
        #expect(summary.pauseCount == 300)
        #expect(summary.warnings.contains { $0.contains("the first 99 and the latest are listed") })
    }

    @Test func explicitFullCollectionsAreNotThrashing() throws {
        var log = "[0.001s][info][gc] Using G1\n"
        for index in 0..<6 {
            log += "[\(index + 1).000s][info][gc] GC(\(index)) Pause Full (System.gc()) 127M->126M(1024M) 300.000ms\n"
        }
        let summary = try TestSupport.analyze(log)
        #expect(summary.fullGCCount == 6)
        #expect(summary.explicitFullGCCount == 6)
        #expect(summary.thrashing.ineffectiveBackToBackFullGCs == 0)
        #expect(summary.liveSet?.basis == .afterFullGC)
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let summary = try GCLogAnalysis.run(paths: [TestSupport.corpus.appendingPathComponent("g1-steady").path])
        let json = try JSONRenderer.render(summary)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in [
            "collector", "jvmVersion", "maxHeapBytes", "pauseCount", "fullGCCount", "pauseTotalMs", "pausePercentilesMs",
            "gcTimeFraction", "liveSet", "allocationRateBytesPerSecond", "coverage", "segments",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let percentiles = try #require(object["pausePercentilesMs"] as? [String: Any])
        #expect(Set(percentiles.keys) == ["p50", "p90", "p99", "max"])
        let liveSet = try #require(object["liveSet"] as? [String: Any])
        for key in ["peakBytes", "medianBytes", "slopeBytesPerHour", "basis", "points"] {
            #expect(liveSet[key] != nil || key == "slopeBytesPerHour", "missing liveSet.\(key)")
        }
        let coverage = try #require(object["coverage"] as? [String: Any])
        for key in ["linesRead", "linesRecognized", "unrecognized"] { #expect(coverage[key] != nil) }
    }
}
