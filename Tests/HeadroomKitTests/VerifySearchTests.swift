import Foundation
import Testing
import HeadroomKit

/// A command that needs `need` bytes: a limit below it is too tight (killed at the limit), one at
/// or above it passes, peaking at `need` minus what the kernel could reclaim under pressure.
struct FakeBuild {
    var need: Int64
    /// The share of `need` a passing run peaks at (below 1: page cache the kernel gave back).
    var peakShare = 1.0

    func outcome(_ limit: Int64) -> VerifySearch.Outcome {
        limit >= need
            ? VerifySearch.Outcome(limit: limit, peak: Int64(Double(need) * peakShare), verdict: .confirmed)
            : VerifySearch.Outcome(limit: limit, peak: limit, verdict: .tooTight)
    }

    /// Every run `search` asks for, the plan's first, and why it stopped.
    func drive(_ search: VerifySearch, plan: Int64) -> (outcomes: [VerifySearch.Outcome], stop: String) {
        var outcomes = [outcome(plan)]
        while true {
            switch search.decide(after: outcomes) {
            case .run(let limit, _): outcomes.append(outcome(limit))
            case .stop(let reason): return (outcomes, reason)
            }
            if outcomes.count > 100 { return (outcomes, "runaway") }
        }
    }
}

private let mib: Int64 = 1 << 20

/// The choice of the next limit, without running anything: converging by VPA steps, the tries and
/// the ceiling that bound it, and the search for the smallest passing limit.
struct VerifySearchTests {
    /// The case that started this: too tight at 600M, too tight again at 720M; the next step passes.
    @Test func convergesAfterTwoBumps() {
        let (outcomes, stop) = FakeBuild(need: 800 * mib).drive(VerifySearch(mode: .converge), plan: 600 * mib)
        #expect(outcomes.map(\.limit) == [600 * mib, 720 * mib, 864 * mib])
        #expect(outcomes.map(\.verdict) == [.tooTight, .tooTight, .confirmed])
        #expect(stop == "MemoryMax=864M passed")
    }

    @Test func stopsAtMaxTries() {
        let (outcomes, stop) = FakeBuild(need: 64 << 30).drive(VerifySearch(mode: .converge, maxTries: 4, ceiling: nil), plan: 600 * mib)
        #expect(outcomes.count == 4)
        #expect(outcomes.allSatisfy { $0.verdict == .tooTight })
        #expect(stop == "--max-tries 4 reached")
        // The default: five runs in all.
        #expect(FakeBuild(need: 64 << 30).drive(VerifySearch(mode: .converge), plan: 600 * mib).outcomes.count == 5)
        // One run only, as --no-retry.
        #expect(FakeBuild(need: 64 << 30).drive(VerifySearch(mode: .converge, maxTries: 1), plan: 600 * mib).outcomes.count == 1)
    }

    @Test func neverExceedsTheCeiling() {
        let ceiling: Int64 = 1000 * mib
        let (outcomes, stop) = FakeBuild(need: 4 << 30).drive(VerifySearch(mode: .converge, maxTries: 20, ceiling: ceiling), plan: 600 * mib)
        #expect(outcomes.dropFirst().allSatisfy { $0.limit <= ceiling })
        // 600M → 720M → 864M → the ceiling itself, once, since the next step would pass it.
        #expect(outcomes.map(\.limit) == [600 * mib, 720 * mib, 864 * mib, ceiling])
        #expect(stop.contains("above the ceiling 1000M"), "\(stop)")
        // A search that has not passed yet steps up under the same ceiling.
        let searched = FakeBuild(need: 4 << 30).drive(VerifySearch(mode: .search, maxTries: 20, ceiling: ceiling), plan: 600 * mib)
        #expect(searched.outcomes.allSatisfy { $0.limit <= ceiling })
    }

    @Test func aHeapOOMMakesRoomForTheLargerHeap() {
        let search = VerifySearch(mode: .converge)
        let outcome = VerifySearch.Outcome(limit: 2 << 30, peak: 1 << 30, verdict: .tooTight, heapGrowth: 1 << 30)
        #expect(search.next(after: [outcome]) == 3 << 30)
    }

    @Test func anInconclusiveRunStopsTheSequence() {
        let search = VerifySearch(mode: .search)
        #expect(search.next(after: [VerifySearch.Outcome(limit: 1 << 30, peak: 1 << 29, verdict: .inconclusive)]) == nil)
        let passed = VerifySearch.Outcome(limit: 2 << 30, peak: 300 * mib, verdict: .confirmed)
        #expect(search.next(after: [passed, VerifySearch.Outcome(limit: 1 << 30, peak: nil, verdict: .inconclusive)]) == nil)
    }

    /// From a passing plan or a failing one, for needs large and small: the search ends on a
    /// passing limit, within the resolution of the largest failing one or of the floor, and the
    /// recommendation is never below it.
    @Test(arguments: [
        (need: 300 * mib, plan: 2112 * mib, peakShare: 1.0),
        (need: 300 * mib, plan: 2112 * mib, peakShare: 0.7),
        (need: 1000 * mib, plan: 200 * mib, peakShare: 0.95),
        (need: 6 << 30, plan: 16 << 30, peakShare: 0.9),
        (need: 5000 * mib, plan: 600 * mib, peakShare: 1.0),
    ])
    func bisectionEndsWithinResolutionOnAPassingLimit(_ example: (need: Int64, plan: Int64, peakShare: Double)) throws {
        let build = FakeBuild(need: example.need, peakShare: example.peakShare)
        let search = VerifySearch(mode: .search, maxTries: 30, ceiling: nil)
        let (outcomes, stop) = build.drive(search, plan: example.plan)
        let smallest = try #require(VerifySearch.smallestPassing(outcomes), "\(stop)")
        #expect(smallest.limit >= example.need)
        let floor = try #require(VerifySearch.floor(outcomes))
        let failing = VerifySearch.largestFailing(outcomes, below: smallest.limit) ?? 0
        #expect(smallest.limit - max(failing, floor) <= search.resolution(at: smallest.limit), "\(outcomes.map(\.limit)) \(stop)")
        // Stepping up from 600M to 5000M by VPA steps takes 12 runs; the bisection after it few.
        let firstPass = try #require(outcomes.firstIndex { $0.verdict == .confirmed })
        #expect(outcomes.count - firstPass <= VerifySearch.defaultSearchTries, "bounded: \(outcomes.count - firstPass) runs from the first pass")
        #expect(Set(outcomes.map(\.limit)).count == outcomes.count, "no limit run twice")
        let recommended = VerifySearch.recommended(smallestPassing: smallest.limit)
        #expect(recommended >= smallest.limit)
        #expect(recommended % (64 * mib) == 0)
    }

    /// Whatever the runs so far, no proposal goes below the peak a passing run measured.
    @Test(arguments: [0.5, 0.8, 1.0])
    func searchNeverProposesBelowAPassingRunsPeak(_ peakShare: Double) {
        let build = FakeBuild(need: 900 * mib, peakShare: peakShare)
        let search = VerifySearch(mode: .search, maxTries: 30, ceiling: nil)
        var outcomes = [build.outcome(4 << 30)]
        while let next = search.next(after: outcomes) {
            let peaks = outcomes.filter { $0.verdict == .confirmed }.compactMap(\.peak)
            #expect(peaks.allSatisfy { next >= $0 }, "\(next / mib) MiB below a passing peak")
            outcomes.append(build.outcome(next))
        }
        // A passing plan halves toward the floor first: 4 GiB, then 2 GiB.
        #expect(outcomes.count > 2 && outcomes[1].limit == 2 << 30)
    }

    @Test func theRecommendationIsTheMarginOverTheSmallestPassing() {
        #expect(VerifySearch.recommended(smallestPassing: 1000 * mib) == 1152 * mib, "1000 × 1.15 = 1150, up to 64 MiB")
        #expect(VerifySearch.recommended(smallestPassing: 64 * mib) == 128 * mib)
        for limit in stride(from: mib, through: 20 * 1024 * mib, by: Int(333 * mib)) {
            #expect(VerifySearch.recommended(smallestPassing: limit) >= limit)
        }
        #expect(VerifySearch.defaultCeiling(hostMemory: 10 << 30) == 9216 * mib)
    }
}
