import Foundation
import Testing

import HeadroomKit

/// Headless Chromium, when installed (`apt-get install chromium`).
let chromiumPath: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    .map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }

/// Each Corpus case's HTML report, screenshotted by headless Chromium: the PNG has the window's
/// size and far more in it than a blank page of the same size.
@Suite(.serialized, .enabled(if: chromiumPath != nil, "chromium is not on PATH; install it with apt-get install chromium"))
struct HTMLScreenshotTests {
    static let width = 1000
    static let height = 1600

    /// Renders `html` to a PNG and returns its bytes.
    static func screenshot(_ html: String, name: String, in directory: URL) throws -> Data {
        let page = directory.appendingPathComponent("\(name).html")
        let png = directory.appendingPathComponent("\(name).png")
        try Data(html.utf8).write(to: page)
        let outcome = try CommandRunner.run(
            [
                chromiumPath!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)",
                "--screenshot=\(png.path)", page.absoluteString,
            ], outputPath: directory.appendingPathComponent("\(name).out").path, timeoutSeconds: 90, graceSeconds: 2)
        #expect(!outcome.timedOut, "\(name): chromium timed out")
        return try Data(contentsOf: png)
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else {
            return nil
        }
        func number(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    @Test(arguments: HTMLReportTests.cases) func screenshotIsNotBlank(_ testCase: HTMLReportTests.Case) throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blank = try Self.screenshot("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>", name: "blank", in: directory)
        let page = try Self.screenshot(HTMLReportTests.html(testCase.inputs), name: testCase.name, in: directory)
        let size = try #require(Self.pngSize(page), "\(testCase.name): not a PNG")
        #expect(size.width == Self.width && size.height == Self.height, "\(testCase.name): \(size)")
        #expect(page.count > 5 * blank.count, "\(testCase.name): \(page.count) bytes against a blank page's \(blank.count)")
    }
}
