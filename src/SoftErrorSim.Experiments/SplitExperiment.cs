using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using SoftErrorSim.Core.Coding;
using SoftErrorSim.Core.Decoding;
using SoftErrorSim.Core.Passes;
using SoftErrorSim.Core.Randomness;
using SoftErrorSim.Core.Schemes;
using SoftErrorSim.Reporting;

namespace SoftErrorSim.Experiments;

/// <summary>
/// Figure 5 (SPEC 8.5): the trade-off across splits (m, n) of a fixed mn, every threshold
/// established on the codes' actual node outputs: K outputs decode, K - 1 coefficients cannot
/// even fit them.
/// </summary>
internal sealed class SplitExperiment : Experiment
{
    private const int Product = 12;
    private const int Nodes = 36;
    private const int Width = 1200;

    /// <summary>
    /// A fit with K coefficients reproduces the outputs to round-off (1e-14 of them on the circle,
    /// where the monomials are orthogonal); a fit with K - 1 misses a whole coefficient's worth,
    /// O(0.1) (SPEC 2: 0.06-0.45 measured). 1e-2 is ten orders of magnitude above the first and
    /// still a factor of six below the smallest of the second.
    /// </summary>
    private const double Underfit = 1e-2;

    /// <summary>Round-off of a fit with K coefficients: far above 1e-14, far below <see cref="Underfit"/>.</summary>
    private const double Fitted = 1e-10;

    public override string Id => "split-tradeoff";

    public override string Question => "For a fixed storage 1/mn (mn = 12, P = 36, a 1200 x 1200 layer), how does the split (m, n) move the recovery burden and the communication between the forward and backward passes?";

    public override string Theory => "K_fwd = mn + n - 1 and K_bwd = 2mn - n, so K_fwd + K_bwd = 3mn - 1 for every split; a node sends its N/m forward and N/n backward output words to the P - 1 others (backward words double on the unit circle: complex outputs). Each K is established on the node outputs: any K of them decode, and no polynomial with K - 1 coefficients fits all P.";

    public override ExperimentOutput Run(ExperimentContext context)
    {
        var splits = Enumerable.Range(1, Product).Where(m => Product % m == 0).Select(m => (M: m, N: Product / m)).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var measured = new List<SplitPoint>();
        foreach (var (m, n) in splits)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var code = Configurations.Gpd(Nodes, m, n);
            var report = CodeReport.For(code, new PassShape(Width / m, Width / n));
            var forward = Establish(code, PassKind.Forward, context);
            var backward = Establish(code, PassKind.Backward, context);
            measured.Add(new SplitPoint(m, n, forward, backward));
            rows.Add(
            [
                I(m), I(n), I(forward.Count), I(backward.Count), I(report.Forward.WordsSentPerNode), I(report.Backward.WordsSentPerNode),
                N(report.Forward.ConditionNumber ?? double.NaN), N(report.Backward.ConditionNumber ?? double.NaN),
                N(forward.DecodeError), N(backward.DecodeError), N(forward.ResidualK), N(backward.ResidualK), N(forward.ResidualKMinus1), N(backward.ResidualKMinus1),
            ]);
        }

        var decoded = measured.SelectMany(s => new[] { (s, s.Forward, "forward"), (s, s.Backward, "backward") }).ToList();
        var notDecoded = decoded.Where(x => !(x.Item2.DecodeError <= DecodingTolerance.SuccessRelativeError)).ToList();
        var fits = decoded.Where(x => !(x.Item2.ResidualK <= Fitted)).ToList();
        var tight = decoded.Where(x => !(x.Item2.ResidualKMinus1 >= Underfit)).ToList();
        string Name((SplitPoint Split, Threshold Pass, string Kind) x) => $"{x.Split.M}x{x.Split.N} {x.Kind}";
        var checks = new List<ExperimentCheck>
        {
            Check(
                $"any K outputs decode: from exactly K clean outputs (spread over the circle) the erasure decoder returns the product within {DecodingTolerance.SuccessRelativeError:0e0} (exact)",
                notDecoded.Count == 0,
                notDecoded.Count == 0 ? $"largest error {decoded.Max(x => x.Item2.DecodeError):0.#e0}" : string.Join("; ", notDecoded.Select(Name))),
            Check(
                $"K coefficients fit all {Nodes} node outputs to round-off (relative residual below {Fitted:0e0}; exact)",
                fits.Count == 0,
                fits.Count == 0 ? $"largest {decoded.Max(x => x.Item2.ResidualK):0.#e0}" : string.Join("; ", fits.Select(Name))),
            Check(
                $"K - 1 coefficients cannot: the least-squares fit of all node outputs leaves a relative residual above {Underfit:0e0}, far above round-off (the threshold is tight; exact)",
                tight.Count == 0,
                tight.Count == 0 ? $"smallest {decoded.Min(x => x.Item2.ResidualKMinus1):0.###}" : string.Join("; ", tight.Select(Name))),
            Check(
                "the thresholds so established sum to K_fwd + K_bwd = 3mn - 1 = 35 for every split, K_fwd growing with n",
                measured.All(s => s.Forward.Count + s.Backward.Count == (3 * Product) - 1) && measured.OrderBy(s => s.N).Zip(measured.OrderBy(s => s.N).Skip(1)).All(x => x.Second.Forward.Count > x.First.Forward.Count),
                string.Join(", ", measured.Select(s => $"{s.M}x{s.N}: {s.Forward.Count}+{s.Backward.Count}"))),
        };

        var xs = splits.Select(s => (double)s.N).ToList();
        double Field(int row, int column) => double.Parse(rows[row][column], System.Globalization.CultureInfo.InvariantCulture);
        var thresholds = FigurePlot.Render(
            new FigureLayout("Recovery thresholds across splits of mn = 12 (GPD, P = 36)", "column split n (m = 12 / n)", "recovery threshold K (nodes; established on the node outputs)") { YFromZero = true, IntegerY = true, XTicks = xs },
            [
                new FigureSeries("K_fwd = mn + n - 1", xs, measured.Select(s => (double)s.Forward.Count).ToList()) { Color = 0 },
                new FigureSeries("K_bwd = 2mn - n", xs, measured.Select(s => (double)s.Backward.Count).ToList()) { Color = 1 },
                new FigureSeries("K_fwd + K_bwd = 3mn - 1", xs, measured.Select(s => (double)(s.Forward.Count + s.Backward.Count)).ToList(), FigureStyle.DashedLine) { Color = 2 },
            ]);
        var communication = FigurePlot.Render(
            new FigureLayout("Words each node sends per pass across splits of mn = 12 (1200 x 1200 layer, P = 36, unit circle)", "column split n (m = 12 / n)", "words sent per node (all-gather to P - 1 nodes)") { YFromZero = true, XTicks = xs },
            [
                new FigureSeries("forward: (P - 1) N/m", xs, Enumerable.Range(0, rows.Count).Select(r => Field(r, 4)).ToList()) { Color = 0 },
                new FigureSeries("backward: (P - 1) 2N/n (complex outputs)", xs, Enumerable.Range(0, rows.Count).Select(r => Field(r, 5)).ToList()) { Color = 1 },
            ]);
        return new ExperimentOutput(
            CsvTable.Write(
                [
                    "m", "n", "k_forward", "k_backward", "words_sent_forward", "words_sent_backward", "condition_forward", "condition_backward",
                    "decode_error_from_k_forward", "decode_error_from_k_backward", "fit_residual_k_forward", "fit_residual_k_backward",
                    "fit_residual_k_minus_1_forward", "fit_residual_k_minus_1_backward",
                ],
                rows),
            new Dictionary<string, byte[]> { ["figure.png"] = thresholds, ["figure-communication.png"] = communication },
            new { mn = Product, nodes = Nodes, width = Width, points = "unit-circle", workload_block = "8 x 8" },
            checks);
    }

    /// <summary>The threshold of one pass on a random workload, with the decode and the fits that establish it.</summary>
    private static Threshold Establish(CodeConfiguration code, PassKind passKind, ExperimentContext context)
    {
        var pass = CodedPass.Create(code, passKind, new PassShape(8, 8), StreamKey.Source(context.Seed, StreamKey.Hash(code.CanonicalText()), (ulong)passKind));
        var k = pass.RecoveryThreshold;

        // K outputs spread evenly over the P points: the best-conditioned K of them.
        var rows = Enumerable.Range(0, k).Select(i => i * Nodes / k).ToArray();
        var decoded = pass.Layer.DecodeErasures(passKind, pass.CleanOutputs, pass.Columns, rows);
        var error = decoded is { Status: DecodeStatus.Decoded, Result: { } result } ? DecodingTolerance.RelativeError(result, pass.Truth) : double.PositiveInfinity;
        var layer = (GpdLayer<Complex>)pass.Layer;
        var generator = layer.PassCode(passKind, pass.Columns).Generator;
        return new Threshold(k, error, FitResidual(generator, k, pass.CleanOutputs), FitResidual(generator, k - 1, pass.CleanOutputs));
    }

    /// <summary>||Y - G_c G_c^+ Y|| / ||Y|| for the first <paramref name="coefficients"/> columns of the generator (least squares by SVD).</summary>
    private static double FitResidual(Matrix<Complex> generator, int coefficients, double[] outputs)
    {
        var word = MemoryMarshal.Cast<double, Complex>(outputs).ToArray();
        var length = word.Length / generator.RowCount;
        var y = Matrix<Complex>.Build.Dense(generator.RowCount, length, (p, j) => word[(p * length) + j]);
        if (coefficients == 0)
        {
            return 1;
        }

        var g = generator.SubMatrix(0, generator.RowCount, 0, coefficients);
        var fit = g * g.Svd(true).Solve(y);
        return (y - fit).FrobeniusNorm() / y.FrobeniusNorm();
    }

    /// <summary>What established one pass's threshold.</summary>
    private sealed record Threshold(int Count, double DecodeError, double ResidualK, double ResidualKMinus1);

    private sealed record SplitPoint(int M, int N, Threshold Forward, Threshold Backward);
}
