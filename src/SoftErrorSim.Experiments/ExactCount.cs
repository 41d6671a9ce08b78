using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.MonteCarlo;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Experiments;

/// <summary>Where the erring nodes of an exact-count trial sit.</summary>
internal enum Positions
{
    /// <summary>Distinct nodes drawn uniformly (every position is equally bad for GPD in exact arithmetic).</summary>
    Random,

    /// <summary>Where an attacker who knows the scheme puts them (SPEC 3): one replica group, distinct CodeNet grid lines, random for GPD.</summary>
    Worst,

    /// <summary>
    /// A run of adjacent evaluation points (cyclically adjacent on the circle, consecutive Chebyshev
    /// points on the line), the start cycling with the trial: the worst-conditioned sets of a
    /// polynomial code. Trial t starts at node t mod (number of starts).
    /// </summary>
    Adjacent,
}

/// <summary>
/// Exact-count decodes (SPEC 3) on one fixed workload: every trial strikes exactly e rows of the
/// pass at the chosen positions with the chosen error values, decodes with the scheme's decoder and
/// classifies the outcome against the plain product. Trial t draws from the stream (seed, key, e, t),
/// so a tally never depends on the thread count.
/// </summary>
internal sealed class ExactCount
{
    private readonly ulong _key;

    private ExactCount(CodedPass pass, string key)
    {
        Pass = pass;
        _key = StreamKey.Hash(key);
    }

    /// <summary>The workload.</summary>
    public CodedPass Pass { get; }

    /// <summary>The workload of a configuration's pass, drawn from the experiment's seed and the configuration.</summary>
    public static ExactCount For(CodeConfiguration code, PassKind pass, PassShape shape, ExperimentContext context)
    {
        var key = $"{code.CanonicalText()};pass={CodeConfiguration.Name(pass)};shape={shape.BlockRows}x{shape.BlockCols}";
        return new ExactCount(CodedPass.Create(code, pass, shape, StreamKey.Source(context.Seed, StreamKey.Hash(key), 0xDA7AUL)), key);
    }

    /// <summary>Nodes that compute the pass (rows of a received word).</summary>
    public int Rows => Pass.ActiveNodes.Count;

    /// <summary>How many distinct adjacent sets of <paramref name="errors"/> rows exist (P on the circle, P - e + 1 on the line).</summary>
    public int AdjacentSets(int errors) => EvaluationPoints.IsComplex(Pass.Configuration.Points) ? Rows : Rows - errors + 1;

    /// <summary>Runs <paramref name="trials"/> decodes with exactly <paramref name="errors"/> erring rows.</summary>
    public TrialTally Run(int errors, int trials, Positions positions, ErrorModelKind model, ExperimentContext context)
    {
        var values = new ErrorValueModel { Kind = model };
        var decoder = model == ErrorModelKind.Adversarial ? DecoderKind.BoundedDistance : DecoderKind.ProbabilityOne;
        var kind = (ulong)((int)positions + (8 * (int)model));
        return TrialRunner.Run(
            trials,
            context.Threads,
            trial =>
            {
                var random = StreamKey.Source(context.Seed, _key, kind, (ulong)errors, (ulong)trial);
                IReadOnlyList<int> struck = positions switch
                {
                    _ when errors == 0 => [],
                    Positions.Worst => Pass.AttackPositions(errors, random),
                    Positions.Adjacent => Enumerable.Range(trial % AdjacentSets(errors), errors).Select(r => r % Rows).ToArray(),
                    _ => random.Sample(Rows, errors),
                };
                return DecodeCampaign.Evaluate(Pass, values, decoder, struck, random);
            },
            null,
            context.CancellationToken);
    }
}
