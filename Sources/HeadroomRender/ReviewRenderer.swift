import HeadroomPlan

/// The review of a proposed heap change, for a terminal or a pull-request comment.
public enum ReviewRenderer {
    public static func text(_ review: ReviewVerdict) -> String {
        var out = ["Verdict: \(review.verdict.rawValue)", "Proposal: \(review.proposal)"]
        out.append("Heap: \(heap(review.currentMaxHeapBytes)) now, \(heap(review.proposedMaxHeapBytes)) proposed, \(heap(review.supportedMaxHeapBytes)) supported by the evidence")
        out.append("Why:")
        for reason in review.reasons { out.append(TextWrap.wrap(reason, indent: "    ", firstIndent: "  - ")) }
        out.append("Evidence:")
        for item in review.evidence { out.append(TextWrap.wrap("\(item.label): \(item.value) (\(item.source))", indent: "    ", firstIndent: "  - ")) }
        if review.analysis.isPartial { out.append("Partial evidence: some inputs were unreadable or cut short.") }
        return out.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ review: ReviewVerdict) -> String {
        let icon: String =
            switch review.verdict {
            case .justified: "✅"
            case .notJustified: "❌"
            case .insufficientEvidence: "❔"
            case .raiseTooSmall: "⬆️"
            }
        var out = ["### \(icon) Heap change \(review.verdict.rawValue)", ""]
        out.append("Proposal: \(MarkdownText.code(review.proposal))")
        out.append("")
        out.append("| | -Xmx |")
        out.append("|---|---|")
        out.append("| now | \(heap(review.currentMaxHeapBytes)) |")
        out.append("| proposed | \(heap(review.proposedMaxHeapBytes)) |")
        out.append("| supported by the evidence | \(heap(review.supportedMaxHeapBytes)) |")
        out.append("")
        out.append("**Why**")
        out.append("")
        for reason in review.reasons { out.append("- \(MarkdownText.escape(reason))") }
        out.append("")
        out.append("**Evidence**")
        out.append("")
        out.append("| fact | value | source |")
        out.append("|---|---|---|")
        for item in review.evidence {
            out.append("| \(MarkdownText.escape(item.label)) | \(MarkdownText.escape(item.value)) | \(MarkdownText.escape(item.source)) |")
        }
        if review.analysis.isPartial { out.append("\n> Partial evidence: some inputs were unreadable or cut short.") }
        return out.joined(separator: "\n") + "\n"
    }

    private static func heap(_ bytes: Int64?) -> String {
        bytes.map { "\(Formatting.bytes($0)) (-Xmx\(ByteSize.jvmArgument($0)))" } ?? "unknown"
    }
}
