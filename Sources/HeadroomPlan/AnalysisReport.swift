import HeadroomRules

/// What `headroom analyze` concluded: the facts, every finding, and the plan; the stable JSON
/// every renderer starts from.
public struct AnalysisReport: Sendable, Codable, Equatable, ExplicitNullEncoding {
    /// Version of this JSON's layout; fields are only ever added within a version.
    public var schemaVersion = 1
    public var tool = "headroom"
    public var toolVersion: String
    /// When the report was made; nil when the caller wants output that compares byte for byte.
    public var generatedAt: String?
    public var facts: Facts
    public var findings: [Finding]
    public var plan: Plan
    /// Inputs that could not be read, each naming its file.
    public var problems: [String]
    /// Some evidence was unreadable or cut short: the advice rests on less than was given.
    public var isPartial: Bool
    /// The evidence over time, thinned, for the HTML report's charts; nil when not collected.
    public var charts: ChartData?
    /// How many runs `aggregate` read and how it combined them; nil for one run.
    public var aggregate: AggregateSummary?

    /// Runs the rules on facts already built.
    public static func make(
        facts: Facts, problems: [String] = [], rules: [any Rule.Type] = RuleRegistry.rules, version: String = HeadroomVersion.current,
        generatedAt: String? = nil, charts: ChartData? = nil
    ) -> AnalysisReport {
        let (planned, findings, plan) = Planner(rules: rules).run(facts)
        return AnalysisReport(
            toolVersion: version, generatedAt: generatedAt, facts: planned, findings: findings, plan: plan, problems: problems,
            isPartial: planned.isPartial || !problems.isEmpty, charts: charts)
    }

    /// The most severe finding's severity, nil without findings.
    public var highestSeverity: Finding.Severity? { findings.map(\.severity).max() }
}
