import Testing
import HeadroomKit

/// JDK 8 and older `-XX:+PrintGCDetails` logs.
@Suite struct LegacyLogTests {
    @Test func parallelYoungAndFull() throws {
        let log = """
            Java HotSpot(TM) 64-Bit Server VM (25.292-b10) for linux-amd64 JRE (1.8.0_292-b10), built on Apr 1 2021
            Memory: 4k page, physical 16318272k(1234k free), swap 0k(0k free)
            CommandLine flags: -XX:InitialHeapSize=261083904 -XX:MaxHeapSize=4177338368 -XX:+PrintGCDetails -XX:+UseParallelGC
            2.345: [GC (Allocation Failure) [PSYoungGen: 33280K->5088K(38400K)] 33280K->5096K(125952K), 0.0060120 secs] [Times: user=0.01 sys=0.00, real=0.01 secs]
            2.900: [Full GC (Ergonomics) [PSYoungGen: 5088K->0K(38400K)] [ParOldGen: 8K->4900K(87552K)] 5096K->4900K(125952K), [Metaspace: 2993K->2993K(1056768K)], 0.0261 secs] [Times: user=0.05 sys=0.00, real=0.03 secs]
            """
        let result = try TestSupport.events(log + "\n")
        let events = result.events
        #expect(events.map(\.kind) == [.young, .full])
        #expect(events[0].uptimeSeconds == 2.345)
        #expect(events[0].durationMs.map { abs($0 - 6.012) < 1e-9 } == true)
        #expect(events[0].heap == OccupancyChange(beforeBytes: 33280 << 10, afterBytes: 5096 << 10, capacityBytes: 125952 << 10))
        #expect(events[0].youngGeneration?.afterBytes == 5088 << 10)
        #expect(events[1].oldGeneration?.afterBytes == 4900 << 10)
        #expect(events[1].metaspace?.beforeBytes == 2993 << 10)
        #expect(events[1].cause == "Ergonomics")
        let header = try #require(result.collector.headers[0])
        #expect(header.collector == .parallel)
        #expect(header.maxHeapBytes == 4_177_338_368)
        #expect(header.jvmVersion == "1.8.0_292-b10")
        #expect(result.parser.coverage.unrecognizedCount == 0)
    }

    @Test func g1PauseSpanningLinesWithTenuringTableAndDetails() throws {
        let log = """
            2013-11-02T10:20:36.023+0100: 0.263: [GC pause (G1 Evacuation Pause) (young) (initial-mark)
            Desired survivor size 1572864 bytes, new threshold 1 (max 15)
            - age   1:   15244560 bytes,   15244560 total
            , 0.0115757 secs]
               [Parallel Time: 11.2 ms, GC Workers: 4]
                  [GC Worker Start (ms): Min: 263.1, Avg: 263.2, Max: 263.3, Diff: 0.2]
               [Eden: 24.0M(24.0M)->0.0B(20.0M) Survivors: 0.0B->3072.0K Heap: 24.0M(256.0M)->5000.0K(256.0M)]
             [Times: user=0.03 sys=0.00, real=0.01 secs]
            2013-11-02T10:20:36.123+0100: 0.363: [GC concurrent-root-region-scan-start]
            2013-11-02T10:20:37.000+0100: 1.240: [GC remark 1.240: [Finalize Marking, 0.0006878 secs] 1.241: [GC ref-proc, 0.0001 secs] 1.242: [Unloading, 0.0020 secs], 0.0100 secs]
            2013-11-02T10:20:37.100+0100: 1.340: [GC cleanup 30M->28M(256M), 0.0010 secs]
            2013-11-02T10:20:38.000+0100: 2.240: [GC pause (G1 Evacuation Pause) (mixed), 0.0200 secs]
               [Eden: 20.0M(20.0M)->0.0B(20.0M) Survivors: 3072.0K->3072.0K Heap: 40.0M(256.0M)->18.0M(256.0M)]
            """
        let events = try TestSupport.events(log + "\n").events
        #expect(events.map(\.kind) == [.young, .remark, .cleanup, .mixed])
        #expect(events[0].startsConcurrentCycle)
        #expect(events[0].durationMs.map { abs($0 - 11.5757) < 1e-9 } == true)
        #expect(events[0].heap == OccupancyChange(beforeBytes: 24 << 20, afterBytes: 5000 << 10, capacityBytes: 256 << 20))
        #expect(events[0].youngGeneration?.afterBytes == 3072 << 10)
        #expect(events[0].wallTimeSeconds.map { abs($0 - 1_383_384_036.023) < 1e-3 } == true)
        #expect(events[3].heap?.afterBytes == 18 << 20)
    }

    @Test func cmsInitialMarkRemarkAndConcurrentModeFailure() throws {
        let log = """
            1.000: [GC (CMS Initial Mark) [1 CMS-initial-mark: 1000K(2000K)] 1500K(3000K), 0.0010 secs] [Times: user=0.00 sys=0.00, real=0.00 secs]
            1.001: [CMS-concurrent-mark-start]
            1.100: [GC (CMS Final Remark) [YG occupancy: 100 K (900 K)]1.100: [Rescan (parallel) , 0.0010 secs]1.101: [weak refs processing, 0.0001 secs][1 CMS-remark: 1000K(2000K)] 1100K(2900K), 0.0030 secs] [Times: user=0.00 sys=0.00, real=0.00 secs]
            2.000: [GC (Allocation Failure) 2.000: [ParNew: 900K->100K(900K), 0.0050 secs] 1900K->1200K(2900K), 0.0051 secs] [Times: user=0.01 sys=0.00, real=0.01 secs]
            3.000: [GC (Allocation Failure) 3.000: [ParNew: 900K->900K(900K), 0.0000 secs]3.000: [CMS3.100: [CMS-concurrent-sweep: 0.1/0.1 secs] (concurrent mode failure): 1900K->1000K(2000K), 0.5000 secs] 2800K->1000K(2900K), [Metaspace: 100K->100K(1000K)], 0.5001 secs] [Times: user=0.50 sys=0.00, real=0.50 secs]
            """
        let events = try TestSupport.events(log + "\n").events
        #expect(events.map(\.kind) == [.initialMark, .remark, .young, .full])
        #expect(events[3].durationMs.map { abs($0 - 500.1) < 1e-9 } == true)
        #expect(events[3].heap?.afterBytes == 1000 << 10)
    }

    @Test func jdk8ShenandoahBackport() throws {
        let log = """
            CommandLine flags: -XX:MaxHeapSize=4184705024 -XX:+PrintGCDetails -XX:+UseShenandoahGC
            Regions: 3991 x 1024K
            2022-08-17T16:20:47.685+0800: 2.469: [Pause Init Mark (process weakrefs), start]
            2022-08-17T16:20:47.688+0800: 2.472: [Pause Init Mark (process weakrefs), 3.341 ms]
            2022-08-17T16:20:48.555+0800: 3.338: [Concurrent marking (process weakrefs), 866.393 ms]
            2022-08-17T16:20:48.561+0800: 3.344: [Pause Final Mark (process weakrefs), 4.423 ms]
            2022-08-17T16:20:48.561+0800: 3.344: [Concurrent cleanup 1613M->1361M(1636M), 0.092 ms]
            2022-08-17T16:20:48.776+0800: 3.559: [Pause Init Update Refs, 0.027 ms]
            2022-08-17T16:20:49.655+0800: 4.439: [Pause Final Update Refs, 0.267 ms]
            2022-08-17T16:20:49.656+0800: 4.439: [Concurrent cleanup 1907M->1628M(1944M), 0.077 ms]
            2022-08-17T16:25:37.275+0800: 292.059: [Pause Init Mark, 1.745 ms]
            """
        let result = try TestSupport.events(log + "\n")
        let events = result.events
        #expect(events.filter(\.isPause).map(\.kind) == [.initialMark, .remark, .updateReferences, .updateReferences, .initialMark])
        let cycle = try #require(events.first { $0.kind == .concurrentCycle })
        #expect(cycle.heap?.beforeBytes == 1613 << 20)
        #expect(cycle.heap?.afterBytes == 1628 << 20)
        #expect(events[0].uptimeSeconds.map { abs($0 - (2.472 - 0.003341)) < 1e-9 } == true)
        #expect(result.collector.headers[0]?.collector == .shenandoah)
        #expect(result.collector.segmentReasons.isEmpty)
        #expect(result.parser.coverage.unrecognizedCount == 0)
    }

    @Test func commaDecimalsAndDateStampsOnly() throws {
        let log = """
            2014-07-24T13:49:45,090+0400: [GC (Allocation Failure) [PSYoungGen: 33280K->5088K(38400K)] 33280K->5096K(125952K), 0,0060120 secs] [Times: user=0,01 sys=0,00, real=0,01 secs]
            """
        let events = try TestSupport.events(log + "\n").events
        #expect(events.count == 1)
        #expect(events[0].durationMs.map { abs($0 - 6.012) < 1e-9 } == true)
        #expect(events[0].uptimeSeconds == nil)
        #expect(events[0].wallTimeSeconds != nil)
    }

    @Test func anEventCutOffAtTheEndIsNotCounted() throws {
        let log = """
            2.345: [GC (Allocation Failure) [PSYoungGen: 33280K->5088K(38400K)] 33280K->5096K(125952K), 0.0060120 secs]
            3.000: [Full GC (Ergonomics) [PSYoungGen: 5088K->0K(38400K)]
            """
        let result = try TestSupport.events(log + "\n")
        #expect(result.events.count == 1)
        #expect(result.parser.coverage.incompleteEvents == 1)
    }
}
