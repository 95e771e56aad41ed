import Foundation
import Testing
@testable import HeadroomKit

/// Each output format's one writing rule, checked against the reader of that format: a word
/// shell-quoted comes back from `sh` as the same argument; an option word written for a `.bazelrc`
/// comes back from the rc tokenizer as the same word, or is refused with the reason; a comment is
/// one line.
struct OutputQuotingTests {
    static let words = [
        "plain", "", " ", "two words", "it's", "\"double\"", "back\\slash", "trailing\\", "$(touch PWNED)", "`touch PWNED`", "${HOME}",
        "a;b&&c|d", "#hash", "*?[x]", "~user", "line\nbreak", "tab\there", "ünïcödé ✓", "-e", "--flag=value with space", "'''",
    ]

    @Test func shellWordsComeBackFromShAsTheyWere() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let script = "printf '%s\\037' " + ShellQuoting.line(Self.words)
        let outcome = try CommandRunner.run(["/bin/sh", "-c", script], outputPath: output, workingDirectory: folder.path)
        #expect(outcome.exitStatus == 0)
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(text.split(separator: "\u{1F}", omittingEmptySubsequences: false).dropLast().map(String.init) == Self.words)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("PWNED").path))
    }

    @Test func aHereDocumentsTerminatorIsNoneOfItsLines() {
        let lines = ShellQuoting.writeFile("f", body: "a\nHEADROOM_EOF\n  HEADROOM_EOF_2\nb\n")
        #expect(lines == ["cat > f <<'HEADROOM_EOF_3'", "a\nHEADROOM_EOF\n  HEADROOM_EOF_2\nb", "HEADROOM_EOF_3"])
    }

    @Test func bazelrcWordsReadBackOrAreRefused() throws {
        for word in Self.words + ["%workspace%/x", "a\rb", "nul\u{0}", "sep\u{2028}"] {
            do {
                let line = try BazelrcQuoting.optionLine(BazelSetting(.build, flag: "x", argument: word, reason: ""))
                let logical = BazelrcTokenizer.logicalLines(line)
                #expect(logical.count == 1, "\(word): \(line)")
                #expect(try BazelrcTokenizer.words(logical.first?.text ?? "") == ["build", word], "\(line)")
            } catch let refusal as BazelrcQuoting.Refusal {
                #expect(word.contains("%workspace%") || word.unicodeScalars.contains(where: VisibleText.isControlOrLineBreak), "\(word): \(refusal)")
            }
        }
    }

    @Test func commentsAreOneLineAndNeverContinued() {
        for text in ["a\nb", "a\r\nb", "ends in \\", "\u{1B}[2J\u{0}", "x\u{2029}y", ""] {
            let comment = CommentLine.make(text)
            #expect(comment.hasPrefix("#"))
            #expect(!comment.hasSuffix("\\"))
            #expect(!comment.unicodeScalars.contains(where: VisibleText.isControlOrLineBreak), "\(comment)")
        }
        #expect(CommentLine.make("a\nstartup --x") == "# a\u{240A}startup --x")
    }
}
