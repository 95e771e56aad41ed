import HeadroomStore

/// The one test every replayed word passes first: a recorded word holding a control character
/// or a line break is no option a person typed, so it is never replayed without `--trust-bundle`.
enum ReplayWords {
    static func isPrintable(_ word: String) -> Bool {
        !word.isEmpty && !word.unicodeScalars.contains(where: VisibleText.isControlOrLineBreak)
    }
}
