import Testing
import HeadroomKit

/// Unified-logging (JDK 9-25) lines, written as each JDK prints them.
@Suite struct UnifiedLogTests {
    static let g1Pause = "GC(7) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms"

    @Test(arguments: [
        "[2024-01-31T10:00:01.500+0000][1.500s][info][gc] ",
        "[1.500s] ",
        "[1500ms] ",
        "[1500000000ns][info] ",
        "[2024-01-31T10:00:01.500+0000][1706695201500ms][1.500s][1500ms][1500000000ns][4242][4243][info ][gc          ] ",
        "[2024-01-31T11:00:01.500+01:00][myhost.example.com][1.500s][gc,start] ",
        "[info][gc][1500ms] ",
        "[1706695201500ms][1.500s] ",
        "[2024-01-31T10:00:01.500+0000][buildhost][1.500s][4242][4243][info][gc,heap] ",
    ])
    func decoratorsInAnyOrderGiveTheSameEvent(prefix: String) throws {
        let result = try TestSupport.events(prefix + Self.g1Pause + "\n")
        let event = try #require(result.events.first)
        #expect(result.events.count == 1)
        #expect(event.kind == .young)
        #expect(event.gcID == 7)
        #expect(event.cause == "G1 Evacuation Pause")
        #expect(event.durationMs == 3.456)
        #expect(event.heap == OccupancyChange(beforeBytes: 24 << 20, afterBytes: 4 << 20, capacityBytes: 256 << 20))
        if let uptime = event.uptimeSeconds {
            #expect(abs(uptime - (1.5 - 0.003456)) < 1e-9)
        }
        if let wall = event.wallTimeSeconds {
            #expect(abs(wall - (1_706_695_201.5 - 0.003456)) < 1e-3)
        }
        #expect(result.parser.coverage.unrecognizedCount == 0)
    }

    @Test func g1SequenceWithDebugLinesAndGenerations() throws {
        let log = """
            [0.004s][info][gc,init] Version: 17.0.15+6-Debian-1deb12u1 (release)
            [0.004s][info][gc] Using G1
            [0.004s][info][gc,init] Heap Region Size: 1M
            [0.004s][info][gc,init] Heap Max Capacity: 1G
            [0.100s][info][gc,start    ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)
            [0.100s][debug][gc,heap     ] GC(0) Heap before GC invocations=0 (full 0): garbage-first heap   total 262144K, used 24576K
            [0.101s][trace][gc,ergo,cset] GC(0) Pause Young (Normal) candidates 12 regions
            [0.102s][info][gc,phases   ] GC(0)   Pre Evacuate Collection Set: 0.1ms
            [0.103s][info][gc,heap     ] GC(0) Eden regions: 24->0(20)
            [0.103s][info][gc,heap     ] GC(0) Survivor regions: 0->3(3)
            [0.103s][info][gc,heap     ] GC(0) Old regions: 0->2
            [0.103s][info][gc,heap     ] GC(0) Humongous regions: 1->1
            [0.103s][info][gc,metaspace] GC(0) Metaspace: 1024K(1280K)->1030K(1280K) NonClass: 900K(1024K)->905K(1024K) Class: 124K(256K)->125K(256K)
            [0.103s][info][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 25M->6M(256M) 3.000ms
            [0.103s][info][gc,cpu      ] GC(0) User=0.01s Sys=0.00s Real=0.00s
            [0.200s][info][gc          ] GC(1) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure) 250M->240M(256M) 30.000ms
            [0.300s][info][gc          ] GC(2) To-space exhausted
            [0.300s][info][gc          ] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 200M->100M(256M) 10.000ms
            [0.400s][info][gc          ] GC(3) Pause Remark 120M->118M(256M) 2.000ms
            [0.500s][info][gc          ] GC(3) Pause Cleanup 118M->110M(256M) 0.500ms
            [0.600s][info][gc          ] GC(4) Pause Young (Mixed) (G1 Evacuation Pause) 150M->80M(256M) 5.000ms
            [0.700s][info][gc          ] GC(5) Pause Full (System.gc()) 90M->50M(256M) 40.000ms
            """
        let result = try TestSupport.events(log + "\n")
        let events = result.events
        #expect(events.map(\.kind) == [.young, .young, .young, .remark, .cleanup, .mixed, .full])
        #expect(events[0].youngGeneration == OccupancyChange(beforeBytes: 24 << 20, afterBytes: 3 << 20, capacityBytes: nil))
        #expect(events[0].oldGeneration == OccupancyChange(beforeBytes: 1 << 20, afterBytes: 3 << 20, capacityBytes: nil))
        #expect(events[0].metaspace?.afterBytes == 1030 << 10)
        #expect(events[1].evacuationFailure)
        #expect(events[1].cause == "G1 Evacuation Pause")
        #expect(events[2].evacuationFailure)
        #expect(events[2].startsConcurrentCycle)
        #expect(events[6].cause == "System.gc()")
        let header = try #require(result.collector.headers[0])
        #expect(header.collector == .g1)
        #expect(header.maxHeapBytes == 1 << 30)
        #expect(header.jvmVersion == "17.0.15+6-Debian-1deb12u1")
        #expect(result.parser.coverage.unrecognizedCount == 0)
    }

    @Test func serialYoungEscalatingToFullIsOnePause() throws {
        let log = """
            [0.001s][info][gc] Using Serial
            [0.219s][info][gc] GC(1) Pause Young (Allocation Failure) 49M->49M(92M) 13.160ms
            [0.293s][info][gc] GC(3) Pause Full (Allocation Failure) 74M->10M(92M) 7.097ms
            [0.293s][info][gc] GC(2) Pause Young (Allocation Failure) 74M->10M(92M) 7.236ms
            [7.187s][info][gc] GC(4) Pause Full (System.gc()) 84M->10M(494M) 31.243ms
            """
        let events = try TestSupport.events(log + "\n").events
        #expect(events.map(\.kind) == [.young, .full, .full])
        #expect(events[1].gcID == 2)
        #expect(events[1].durationMs == 7.236)
    }

    @Test func zgcCycleReportsItsLiveBytes() throws {
        let log = """
            [0.010s][info][gc,init] Initializing The Z Garbage Collector
            [0.010s][info][gc,init] Max Capacity: 4096M
            [1.000s][info][gc,start    ] GC(0) Garbage Collection (Warmup)
            [1.001s][info][gc,phases   ] GC(0) Pause Mark Start 0.008ms
            [1.010s][info][gc,phases   ] GC(0) Concurrent Mark 6.5ms
            [1.011s][info][gc,phases   ] GC(0) Pause Mark End 0.012ms
            [1.020s][info][gc,phases   ] GC(0) Pause Relocate Start 0.009ms
            [1.030s][info][gc,heap     ] GC(0)                Mark Start          Mark End        Relocate Start      Relocate End           High               Low
            [1.030s][info][gc,heap     ] GC(0)  Capacity:      256M (6%)          256M (6%)          256M (6%)          256M (6%)          256M (6%)          256M (6%)
            [1.030s][info][gc,heap     ] GC(0)      Used:      104M (3%)          106M (3%)          106M (3%)           50M (1%)          108M (3%)           50M (1%)
            [1.030s][info][gc,heap     ] GC(0)      Live:         -                 6M (0%)            6M (0%)            6M (0%)             -                  -
            [1.030s][info][gc          ] GC(0) Garbage Collection (Warmup) 104M(3%)->50M(1%)
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.filter(\.isPause).count == 3)
        let cycle = try #require(result.events.last)
        #expect(cycle.kind == .concurrentCycle)
        #expect(cycle.reportedLiveBytes == 6 << 20)
        #expect(cycle.heap?.capacityBytes == 256 << 20)
        #expect(cycle.uptimeSeconds == 1.0)
        #expect(result.collector.headers[0]?.collector == .zgc)
    }

    @Test func generationalZGCMajorCollectionSumsBothGenerations() throws {
        let log = """
            [0.020s][info][gc,init] Initializing The Z Garbage Collector
            [2.000s][info][gc          ] GC(0) Major Collection (Warmup)
            [2.001s][info][gc,phases   ] GC(0) Y: Pause Mark Start (Major) 0.013ms
            [2.010s][info][gc,heap     ] GC(0) Y: Live:         -                 8M (0%)            8M (0%)            8M (0%)             -                  -
            [2.012s][info][gc,phases   ] GC(0) Y: Young Generation 24M(1%)->14M(1%) 0.012s
            [2.015s][info][gc,phases   ] GC(0) O: Pause Mark End 0.008ms
            [2.020s][info][gc,heap     ] GC(0) O: Live:         -                20M (1%)           20M (1%)           20M (1%)             -                  -
            [2.021s][info][gc,phases   ] GC(0) O: Old Generation 14M(1%)->14M(1%) 0.005s
            [2.021s][info][gc          ] GC(0) Major Collection (Warmup) 44M(2%)->34M(1%) 0.021s
            [3.000s][info][gc          ] GC(1) Minor Collection (Allocation Rate) 100M(5%)->50M(2%) 0.012s
            """
        let result = try TestSupport.events(log + "\n")
        let cycles = result.events.filter { !$0.isPause }
        #expect(cycles.count == 2)
        #expect(cycles[0].reportedLiveBytes == 28 << 20)
        #expect(cycles[1].kind == .young)
        #expect(cycles[1].reportedLiveBytes == nil)
        #expect(result.collector.headers[0]?.collector == .generationalZGC)
    }

    @Test func earlyJDK21GenerationalZGCWritesLowerCasePrefixes() throws {
        let log = """
            [2023-12-12T10:20:45.257+0200][info][gc          ] GC(34) Minor Collection (Allocation Rate)
            [2023-12-12T10:20:45.258+0200][info][gc,phases   ] GC(34) y: Young Generation
            [2023-12-12T10:20:45.260+0200][info][gc,phases   ] GC(34) y: Pause Mark Start 0.234ms
            [2023-12-12T10:21:00.687+0200][info][gc,phases   ] GC(34) y: Pause Mark End 0.147ms
            [2023-12-12T10:21:02.000+0200][info][gc,phases   ] GC(34) y: Pause Relocate Start 0.020ms
            [2023-12-12T10:21:03.000+0200][info][gc,phases   ] GC(34) y: Young Generation 900M(35%)->500M(20%) 17.700s
            [2023-12-12T10:21:03.000+0200][info][gc          ] GC(34) Minor Collection (Allocation Rate) 900M(35%)->500M(20%) 17.743s
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.filter(\.isPause).map(\.kind) == [.markStart, .markEnd, .relocateStart])
        let minor = try #require(result.events.last)
        #expect(minor.kind == .young && !minor.isPause)
        #expect(minor.youngGeneration?.afterBytes == 500 << 20)
        #expect(result.collector.headers[0]?.collector == .generationalZGC)
    }

    @Test func shenandoahCycleEndsWithItsLastCleanup() throws {
        let log = """
            [0.005s][info][gc] Using Shenandoah
            [1.000s][info][gc] GC(0) Pause Init Mark (unload classes) 0.123ms
            [1.010s][info][gc] GC(0) Concurrent marking (unload classes) 100M->101M(128M) 9.000ms
            [1.011s][info][gc] GC(0) Pause Final Mark (unload classes) 0.200ms
            [1.012s][info][gc] GC(0) Concurrent cleanup 101M->90M(128M) 0.020ms
            [1.020s][info][gc] GC(0) Pause Final Update Refs 0.050ms
            [1.021s][info][gc] GC(0) Concurrent cleanup 95M->40M(128M) 0.010ms
            [2.000s][info][gc] GC(1) Pause Degenerated GC (Mark) 120M->60M(128M) 12.000ms
            """
        let events = try TestSupport.events(log + "\n").events
        #expect(events.filter(\.isPause).map(\.kind) == [.initialMark, .remark, .updateReferences, .degenerated])
        let cycle = try #require(events.first { $0.kind == .concurrentCycle })
        #expect(cycle.heap?.beforeBytes == 100 << 20)
        #expect(cycle.heap?.afterBytes == 40 << 20)
    }

    @Test func restartInsideOneFileStartsANewSegment() throws {
        let log = """
            [0.005s][info][gc] Using Parallel
            [5.000s][info][gc] GC(0) Pause Young (Allocation Failure) 64M->10M(245M) 8.000ms
            [9.000s][info][gc] GC(1) Pause Full (Ergonomics) 100M->50M(245M) 80.000ms
            [0.004s][info][gc] Using Parallel
            [3.000s][info][gc] GC(0) Pause Young (Allocation Failure) 64M->12M(245M) 8.000ms
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.map(\.segment) == [0, 0, 1])
        #expect(result.collector.segmentReasons.count == 1)
    }

    @Test func aLateRemarkOfAnEarlierCycleIsNotARestart() throws {
        // Seen in a real Bazel server at -Xmx32m: 22 young pauses ran during one marking cycle,
        // whose remark and cleanup kept the cycle's id.
        var lines = ["[14.500s][info][gc] GC(241) Pause Young (Concurrent Start) (G1 Evacuation Pause) 26M->25M(32M) 3.125ms"]
        for id in 243...264 {
            lines.append("[\(String(format: "%.3f", 14.5 + Double(id - 242) * 0.01))s][info][gc] GC(\(id)) Pause Young (Normal) (G1 Evacuation Pause) 27M->26M(32M) 2.000ms")
        }
        lines.append("[14.720s][info][gc] GC(242) Pause Remark 26M->26M(32M) 24.641ms")
        lines.append("[14.721s][info][gc] GC(242) Pause Cleanup 26M->26M(32M) 0.109ms")
        lines.append("[14.727s][info][gc] GC(265) Pause Young (Normal) (G1 Evacuation Pause) 27M->26M(32M) 2.743ms")
        let result = try TestSupport.events(lines.joined(separator: "\n") + "\n")
        #expect(Set(result.events.map(\.segment)) == [0])
        #expect(result.collector.segmentReasons.isEmpty)
    }

    @Test func gcIDsGoingBackMeanAnotherJVM() throws {
        let log = """
            [100.000s][info][gc] GC(2690) Pause Young (Normal) (G1 Evacuation Pause) 300M->100M(1024M) 10.000ms
            [109.000s][info][gc] GC(2696) Pause Young (Normal) (G1 Evacuation Pause) 300M->100M(1024M) 10.000ms
            [259.000s][info][gc] GC(1415) Pause Young (Normal) (G1 Evacuation Pause) 300M->110M(1024M) 10.000ms
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.map(\.segment) == [0, 0, 1])
        #expect(result.collector.segmentReasons.first?.contains("GC ids went back") == true)
    }

    @Test func aLongConcurrentCycleIsNotARestart() throws {
        // ZGC writes a cycle's summary when it ends, stamped with its start, after its pauses.
        let log = """
            [0.010s][info][gc,init] Initializing The Z Garbage Collector
            [10.000s][info][gc,start    ] GC(0) Garbage Collection (Proactive)
            [10.001s][info][gc,phases   ] GC(0) Pause Mark Start 0.008ms
            [14.000s][info][gc,phases   ] GC(0) Pause Mark End 0.012ms
            [16.000s][info][gc,phases   ] GC(0) Pause Relocate Start 0.009ms
            [18.000s][info][gc,heap     ] GC(0)      Live:         -               300M (7%)          300M (7%)          300M (7%)             -                  -
            [18.000s][info][gc          ] GC(0) Garbage Collection (Proactive) 900M(22%)->400M(10%)
            [30.000s][info][gc,phases   ] GC(1) Pause Mark Start 0.008ms
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.map(\.segment) == [0, 0, 0, 0, 0])
        #expect(result.collector.segmentReasons.isEmpty)
    }

    @Test func commaDecimalsAndCRLF() throws {
        let log = "[0,500s][info][gc] Using G1\r\n[1,500s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3,456ms\r\n"
        let events = try TestSupport.events(log).events
        #expect(events.count == 1)
        #expect(events[0].durationMs == 3.456)
    }
}
