import HeadroomRender

extension AnalysisReport {
    /// Builds the facts from `inputs`, runs the rules, and plans.
    public static func make(
        _ inputs: EvidenceInputs, rules: [any Rule.Type] = RuleRegistry.rules, version: String = HeadroomVersion.current, generatedAt: String? = nil
    ) -> AnalysisReport {
        let (facts, charts, problems) = EvidenceLoader.loadWithCharts(inputs)
        return make(facts: facts, problems: problems, rules: rules, version: version, generatedAt: generatedAt, charts: charts)
    }
}
