using System.Globalization;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>One row of data.csv: a scheme's pass (or iteration) at one P.</summary>
internal sealed record ToleranceRow(
    string Scheme,
    string Points,
    string Pass,
    int Nodes,
    int Threshold,
    int Tolerance,
    int? AchievedAdjacent,
    int? AchievedRandom,
    int? MonteCarloAdjacent,
    int? MonteCarloRandom,
    OutcomeCounts? AtT,
    OutcomeCounts? AtAchievedRandom,
    OutcomeCounts? AtTPlus1,
    int ToleranceAdversarial,
    OutcomeCounts? AtAdversarial,
    OutcomeCounts? AtAdversarialPlus1,
    int Trials,
    long Miscorrected)
{
    public static readonly string[] Columns =
    [
        "scheme", "points", "pass", "nodes", "threshold", "tolerance_probabilistic", "achieved_adjacent", "achieved_random",
        "mc_adjacent", "mc_random", "mc_success_at_t", "mc_success_at_achieved_random", "mc_success_at_t_plus_1",
        "tolerance_adversarial", "mc_success_at_adversarial", "mc_success_at_adversarial_plus_1", "trials",
    ];

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Scheme} {Points} {Pass} P={Nodes}");

    /// <summary>The iteration of a scheme at one P: every tolerance the minimum over its passes (the rates are the passes' own, left empty).</summary>
    public static ToleranceRow Iteration(IReadOnlyList<ToleranceRow> passes)
    {
        int? Min(Func<ToleranceRow, int?> of) => passes.All(p => of(p) is not null) ? passes.Min(of) : null;
        var first = passes[0];
        return new ToleranceRow(
            first.Scheme,
            first.Points,
            "iteration",
            first.Nodes,
            passes.Max(p => p.Threshold),
            passes.Min(p => p.Tolerance),
            Min(p => p.AchievedAdjacent),
            Min(p => p.AchievedRandom),
            Min(p => p.MonteCarloAdjacent),
            Min(p => p.MonteCarloRandom),
            null,
            null,
            null,
            passes.Min(p => p.ToleranceAdversarial),
            null,
            null,
            first.Trials,
            passes.Sum(p => p.Miscorrected));
    }

    public IReadOnlyList<string> Fields()
    {
        static string Rate(OutcomeCounts? counts) => counts is { Trials: > 0 } c ? InvariantText.Number(c.SuccessRate) : string.Empty;
        return
        [
            Scheme, Points, Pass, InvariantText.Whole(Nodes), InvariantText.Whole(Threshold), InvariantText.Whole(Tolerance),
            InvariantText.Optional(AchievedAdjacent), InvariantText.Optional(AchievedRandom), InvariantText.Optional(MonteCarloAdjacent), InvariantText.Optional(MonteCarloRandom),
            Rate(AtT), Rate(AtAchievedRandom), Rate(AtTPlus1), InvariantText.Whole(ToleranceAdversarial), Rate(AtAdversarial), Rate(AtAdversarialPlus1), InvariantText.Whole(Trials),
        ];
    }
}
