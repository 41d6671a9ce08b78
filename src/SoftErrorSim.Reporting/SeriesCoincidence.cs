namespace SoftErrorSim.Reporting;

/// <summary>
/// Finds series that would hide one another: the same x values, and y values within a tolerance
/// at every one of them (CodeNet's tolerance equal to replication's at every P, coded training
/// equal to fault-free at every round). Figures draw each group side by side and say so.
/// </summary>
public static class SeriesCoincidence
{
    /// <summary>
    /// Groups of two or more series (indices in input order, each group in input order) that
    /// coincide at every point: equal x values in the same order, and y values within
    /// <paramref name="yTolerance"/> (absolute) or both not finite. A series with no finite point
    /// coincides with none. Each series joins the first group whose first member it matches.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Groups(IReadOnlyList<(IReadOnlyList<double> Xs, IReadOnlyList<double> Ys)> series, double yTolerance)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfNegative(yTolerance);
        var groups = new List<List<int>>();
        for (var i = 0; i < series.Count; i++)
        {
            if (!series[i].Ys.Any(double.IsFinite))
            {
                continue;
            }

            var home = groups.FirstOrDefault(g => Coincide(series[g[0]], series[i], yTolerance));
            if (home is null)
            {
                groups.Add([i]);
            }
            else
            {
                home.Add(i);
            }
        }

        return groups.Where(g => g.Count > 1).Select(g => (IReadOnlyList<int>)g).ToList();
    }

    /// <summary>Whether two series coincide at every point (see <see cref="Groups"/>).</summary>
    public static bool Coincide((IReadOnlyList<double> Xs, IReadOnlyList<double> Ys) a, (IReadOnlyList<double> Xs, IReadOnlyList<double> Ys) b, double yTolerance)
    {
        ArgumentNullException.ThrowIfNull(a.Xs);
        ArgumentNullException.ThrowIfNull(a.Ys);
        ArgumentNullException.ThrowIfNull(b.Xs);
        ArgumentNullException.ThrowIfNull(b.Ys);
        if (a.Xs.Count != b.Xs.Count || a.Ys.Count != a.Xs.Count || b.Ys.Count != b.Xs.Count || a.Xs.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < a.Xs.Count; i++)
        {
            // x values come from the same grid (P, samples seen), so they must agree to rounding.
            if (!(Math.Abs(a.Xs[i] - b.Xs[i]) <= 1e-9 * Math.Max(1, Math.Abs(a.Xs[i]))))
            {
                return false;
            }

            var (ya, yb) = (a.Ys[i], b.Ys[i]);
            var same = double.IsFinite(ya) && double.IsFinite(yb) ? Math.Abs(ya - yb) <= yTolerance : !double.IsFinite(ya) && !double.IsFinite(yb);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The x offsets of the members of a group of <paramref name="count"/> series drawn side by
    /// side: evenly spaced, centred on zero, <paramref name="spread"/> from the first to the last.
    /// </summary>
    public static double[] Offsets(int count, double spread)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return count == 1 ? [0.0] : Enumerable.Range(0, count).Select(j => spread * ((j / (count - 1.0)) - 0.5)).ToArray();
    }

    /// <summary>
    /// x offsets that keep points of different series apart where they would hide one another:
    /// at one x value, points whose y values lie within <paramref name="yTolerance"/> of their
    /// neighbours' form a cluster, drawn side by side <paramref name="step"/> apart in series
    /// order, centred on the true x. Points that are not finite are left in place.
    /// </summary>
    public static double[][] PointOffsets(IReadOnlyList<IReadOnlyList<double>> xs, IReadOnlyList<IReadOnlyList<double>> ys, double yTolerance, double step)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        var offsets = xs.Select(x => new double[x.Count]).ToArray();
        var points = xs.SelectMany((x, s) => x.Select((v, i) => (Series: s, Point: i, X: v, Y: ys[s][i])))
            .Where(m => double.IsFinite(m.X) && double.IsFinite(m.Y))
            .ToList();
        foreach (var column in points.GroupBy(m => m.X))
        {
            var byHeight = column.OrderBy(m => m.Y).ThenBy(m => m.Series).ToList();
            var start = 0;
            for (var i = 1; i <= byHeight.Count; i++)
            {
                if (i < byHeight.Count && byHeight[i].Y - byHeight[i - 1].Y <= yTolerance)
                {
                    continue;
                }

                var cluster = byHeight.Skip(start).Take(i - start).OrderBy(m => m.Series).ToList();
                var shifts = Offsets(cluster.Count, step * (cluster.Count - 1));
                for (var j = 0; j < cluster.Count; j++)
                {
                    offsets[cluster[j].Series][cluster[j].Point] = shifts[j];
                }

                start = i;
            }
        }

        return offsets;
    }

    /// <summary>
    /// How far apart members of a group of <paramref name="members"/> are drawn: about 12 pixels of
    /// a 1000-pixel-wide data area (a marker's width, 1.2% of the x range), but never more than
    /// 0.3 of the smallest gap between x values over the whole group, so groups at neighbouring x
    /// values stay apart.
    /// </summary>
    public static double Step(IEnumerable<double> xs, int members)
    {
        ArgumentNullException.ThrowIfNull(xs);
        var finite = xs.Where(double.IsFinite).ToArray();
        var range = finite.Length == 0 ? 1 : finite.Max() - finite.Min();
        var gap = SmallestGap(finite);
        return Math.Min(0.012 * Math.Max(range, gap), 0.3 * gap / Math.Max(1, members - 1));
    }

    /// <summary>The smallest gap between distinct x values of the series (1 when there is none): the scale of side-by-side offsets.</summary>
    public static double SmallestGap(IEnumerable<double> xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        var sorted = xs.Where(double.IsFinite).Distinct().Order().ToArray();
        var gap = double.PositiveInfinity;
        for (var i = 1; i < sorted.Length; i++)
        {
            gap = Math.Min(gap, sorted[i] - sorted[i - 1]);
        }

        return double.IsFinite(gap) ? gap : 1;
    }
}
