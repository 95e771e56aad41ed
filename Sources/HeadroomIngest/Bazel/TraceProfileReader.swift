import HeadroomCore

/// Reads a Bazel JSON trace profile (`--profile=FILE`, `command.profile.gz`) into a summary.
///
/// Streams the decoded bytes through a small JSON tokenizer: memory stays flat for profiles of
/// hundreds of MB. A profile cut mid-event, or one whose JSON goes bad after it started, still
/// gives a summary of what came before, marked partial.
public enum TraceProfileReader {
    /// Why a profile gave nothing to summarise.
    public enum ReadError: Error, Sendable, CustomStringConvertible {
        /// The file could not be opened or read.
        case input(InputError)
        /// No bytes, or only white space.
        case empty(path: String)
        /// The bytes are not a trace profile: bad JSON before any event array began.
        case notATraceProfile(path: String, TraceProfileSyntaxError)

        public var description: String {
            switch self {
            case .input(let error): return error.description
            case .empty(let path): return "\(path): the profile is empty"
            case .notATraceProfile(let path, let problem): return "\(path): not a JSON trace profile (\(problem))"
            }
        }
    }

    /// Reads the profile at `path` (plain or gzip; `-` for standard input).
    public static func read(path: String) throws(ReadError) -> TraceProfileSummary {
        let opened: (reader: ChunkReader, encoding: InputEncoding)
        do {
            opened = try InputOpener.open(path)
        } catch {
            throw .input(error)
        }
        return try read(opened.reader, name: path)
    }

    /// Reads a profile from decoded bytes; `name` labels the summary and errors.
    public static func read(_ reader: ChunkReader, name: String, bufferSize: Int = 256 * 1024) throws(ReadError) -> TraceProfileSummary {
        var walker = TraceProfileEventReader(reader: reader, bufferSize: bufferSize)
        var analysis = TraceProfileAnalysis()
        let outcome: TraceProfileEventReader.Outcome
        do {
            outcome = try walker.walk(into: &analysis)
        } catch {
            throw .input(error)
        }
        guard outcome.sawInput else { throw .empty(path: name) }
        if let problem = outcome.syntaxError, !outcome.sawEventArray {
            throw .notATraceProfile(path: name, problem)
        }
        return analysis.finish(source: name, outcome: outcome, readerPartial: reader.isPartial, readerWarnings: reader.warnings)
    }
}
