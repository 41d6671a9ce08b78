using System.Globalization;
using SoftErrorSim.Core.Statistics;

namespace SoftErrorSim.Core.Faults;

/// <summary>
/// One group of the injector's check (SPEC 3): draws made at one rate and the faults they gave, a
/// Binomial(draws, rate) count, and whether it lies in the exact acceptance region at the
/// Bonferroni share of the family-wise false-alarm level that the group received. Nodes: the
/// nodes that drew at the rate (for bursts, G, the nodes of a rack; Faults are then bursts).
/// </summary>
public sealed record InjectorCheckGroup(double Rate, int Nodes, long Opportunities, long Faults, bool InRegion)
{
    /// <summary>Draws times rate.</summary>
    public double ExpectedFaults => Opportunities * Rate;
}

/// <summary>
/// The injector's check of itself (SPEC 3): per step kind (or "burst"), the draws made and the
/// faults injected, and whether that count lies in the exact acceptance region of the configured
/// rates. Nodes are grouped by rate (one group when all share it); each group's count is
/// Binomial(draws, rate) and is checked exactly, Bonferroni over every group of the family, so a
/// correct injector passes with probability at least 1 - <see cref="FalseAlarm"/> whatever the
/// seed. Bursts are one group of their own: one draw per coded product at the burst rate.
/// </summary>
public sealed record InjectorCheck(string Kind, long Opportunities, long Faults, double ExpectedFaults, bool InRegion, string Detail)
{
    /// <summary>The family-wise false-alarm level of a run's checks.</summary>
    public const double FalseAlarm = 1e-3;

    /// <summary>The name of the burst check's kind.</summary>
    public const string BurstKind = "burst";

    /// <summary>The rate groups of the kind, each with its own verdict.</summary>
    public IReadOnlyList<InjectorCheckGroup> Groups { get; init; } = [];

    /// <summary>The level each group was checked at (the family-wise level over the groups of the family).</summary>
    public double GroupAlpha { get; init; }

    /// <summary>
    /// Checks a family of groups (kind, rate, nodes, draws, strikes) at family-wise level
    /// <paramref name="falseAlarm"/>: each group at falseAlarm / (groups in the family), one check
    /// per kind in the order the kinds first appear.
    /// </summary>
    public static IReadOnlyList<InjectorCheck> Of(IReadOnlyList<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> groups, double falseAlarm) =>
        Of(groups, falseAlarm, Math.Max(1, groups?.Count ?? 0));

    /// <summary>Checks groups at falseAlarm / <paramref name="familySize"/> each (a family larger than this list: a sweep checks every point's groups as one family).</summary>
    public static IReadOnlyList<InjectorCheck> Of(IReadOnlyList<(string Kind, double Rate, int Nodes, long Draws, long Strikes)> groups, double falseAlarm, int familySize)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var alpha = falseAlarm / Math.Max(1, familySize);
        return groups.GroupBy(g => g.Kind).Select(kind =>
        {
            var checkedGroups = kind.Select(g => new InjectorCheckGroup(g.Rate, g.Nodes, g.Draws, g.Strikes, BinomialAcceptance.Holds(g.Strikes, g.Draws, g.Rate, alpha))).ToArray();
            var failed = checkedGroups.Where(g => !g.InRegion).ToList();
            var detail = failed.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{checkedGroups.Length} rate group(s), each inside its exact binomial region at {alpha:g3}")
                : string.Join("; ", failed.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Faults} {(kind.Key == BurstKind ? "bursts" : "faults")} in {g.Opportunities} draws at rate {g.Rate:g6} lie outside the exact binomial region at {alpha:g3}")));
            return new InjectorCheck(kind.Key, checkedGroups.Sum(g => g.Opportunities), checkedGroups.Sum(g => g.Faults), checkedGroups.Sum(g => g.ExpectedFaults), failed.Count == 0, detail)
            {
                Groups = checkedGroups,
                GroupAlpha = alpha,
            };
        }).ToArray();
    }
}
