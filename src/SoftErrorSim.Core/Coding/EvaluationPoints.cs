using SoftErrorSim.Core.Randomness;

namespace SoftErrorSim.Core.Coding;

/// <summary>How the distinct evaluation points a_p of the nodes are chosen (SPEC 2).</summary>
public enum EvaluationPointKind
{
    /// <summary>
    /// The P-th roots of unity, a_p = exp(2 pi i p / P), with the row-paired complex code of SPEC 2:
    /// the full P x K system is unitary up to scale (condition number 1), the default for GPD.
    /// </summary>
    UnitCircle,

    /// <summary>Chebyshev points of the first kind on [-1, 1]: the best-conditioned real choice.</summary>
    Chebyshev,

    /// <summary>Equally spaced points on [-1, 1], endpoints included.</summary>
    Equispaced,

    /// <summary>Independent uniform points on [-1, 1], drawn from a seeded stream.</summary>
    Random,
}

/// <summary>Builds the evaluation points of a polynomial code.</summary>
public static class EvaluationPoints
{
    /// <summary>The P-th roots of unity: node p owns exp(2 pi i p / P).</summary>
    public static System.Numerics.Complex[] UnitCircle(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Enumerable.Range(0, count).Select(p => System.Numerics.Complex.FromPolarCoordinates(1.0, 2.0 * Math.PI * p / count)).ToArray();
    }

    /// <summary>Whether a kind gives complex points (the unit circle) rather than real ones.</summary>
    public static bool IsComplex(EvaluationPointKind kind) => kind == EvaluationPointKind.UnitCircle;

    /// <summary>The command-line name of a kind.</summary>
    public static string Name(EvaluationPointKind kind) => kind switch
    {
        EvaluationPointKind.UnitCircle => "unit-circle",
        EvaluationPointKind.Chebyshev => "chebyshev",
        EvaluationPointKind.Equispaced => "equispaced",
        EvaluationPointKind.Random => "random",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The <paramref name="count"/> real points of the given kind; node p owns element p. Random points
    /// come from <paramref name="seed"/> and are redrawn until all are at least 1e-9 apart, because
    /// two equal points make the code lose its MDS property.
    /// </summary>
    public static double[] Create(EvaluationPointKind kind, int count, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var points = new double[count];
        switch (kind)
        {
            case EvaluationPointKind.Chebyshev:
                // x_k = cos((2k + 1) pi / (2P)), k = 0..P-1: the roots of T_P.
                for (var k = 0; k < count; k++)
                {
                    points[k] = Math.Cos((2.0 * k + 1.0) * Math.PI / (2.0 * count));
                }

                break;
            case EvaluationPointKind.Equispaced:
                for (var k = 0; k < count; k++)
                {
                    points[k] = count == 1 ? 0.0 : -1.0 + (2.0 * k / (count - 1));
                }

                break;
            case EvaluationPointKind.Random:
                var stream = new RandomSource(seed);
                do
                {
                    for (var k = 0; k < count; k++)
                    {
                        points[k] = stream.NextDouble(-1.0, 1.0);
                    }
                }
                while (MinimumGap(points) < 1e-9);

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a real evaluation point kind (the unit circle is complex: use UnitCircle)");
        }

        return points;
    }

    private static double MinimumGap(double[] points)
    {
        var sorted = (double[])points.Clone();
        Array.Sort(sorted);
        var gap = double.PositiveInfinity;
        for (var i = 1; i < sorted.Length; i++)
        {
            gap = Math.Min(gap, sorted[i] - sorted[i - 1]);
        }

        return gap;
    }
}
