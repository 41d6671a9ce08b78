namespace SoftErrorSim.Experiments;

/// <summary>
/// Training with checkpoints and rollbacks as a renewal process, exactly as the simulator runs it
/// (experiments/checkpoint-interval.md). N steps are cut into N/K segments of K steps, each ending
/// in a verified checkpoint (cost C). A step fails with probability q = 1 - s_p^L (L passes, each
/// failing when one of its node products is struck: s_p = (1 - eps)^nodes); a failure aborts the
/// step at the pass that failed (phase i with probability s_p^(i-1) (1 - s_p) / q), costing the
/// prefix of the step up to and including that pass, phi_i, and then the restore R; the segment
/// then starts again. With c the cost of a whole step, an attempt that fails at its j-th step
/// (probability s^(j-1) q / (1 - s^K), s = 1 - q) wastes Y = c (j - 1) + phi_i + R, and a segment
/// needs F failed attempts, F geometric with success probability s^K. So a segment costs
/// c K + C + X, X = Y_1 + ... + Y_F, a compound geometric sum, and
/// E T(K) = N c + (N/K) C + (N/K) E[F] E[Y], E[F] = s^-K - 1.
/// </summary>
internal sealed class RenewalTheory
{
    private readonly double[] _attemptWaste;
    private readonly double[] _attemptWeight;

    /// <param name="stepSeconds">c, a whole step.</param>
    /// <param name="checkpointSeconds">C, verification and write of a checkpoint.</param>
    /// <param name="restoreSeconds">R, reading the checkpoint back.</param>
    /// <param name="phaseSeconds">phi_i, the cost of a step that fails at pass i (passes in execution order).</param>
    /// <param name="passFailure">1 - s_p, the probability that one pass fails.</param>
    /// <param name="interval">K, the checkpoint interval in steps.</param>
    public RenewalTheory(double stepSeconds, double checkpointSeconds, double restoreSeconds, IReadOnlyList<double> phaseSeconds, double passFailure, int interval)
    {
        ArgumentNullException.ThrowIfNull(phaseSeconds);
        StepSeconds = stepSeconds;
        CheckpointSeconds = checkpointSeconds;
        Interval = interval;
        var passes = phaseSeconds.Count;
        var keep = 1 - passFailure;
        StepFailure = 1 - Math.Pow(keep, passes);
        SegmentSuccess = Math.Pow(1 - StepFailure, interval);

        // The distribution of Y, in units of c: the wasted whole steps (j - 1) and the failed
        // step's phase, independent given a failure; R is added to each.
        var waste = new List<double>();
        var weight = new List<double>();
        for (var j = 1; j <= interval; j++)
        {
            var position = Math.Pow(1 - StepFailure, j - 1) * StepFailure / (1 - SegmentSuccess);
            for (var i = 0; i < passes; i++)
            {
                var phase = Math.Pow(keep, i) * passFailure / StepFailure;
                waste.Add((j - 1) + ((phaseSeconds[i] + restoreSeconds) / stepSeconds));
                weight.Add(position * phase);
            }
        }

        _attemptWaste = [.. waste];
        _attemptWeight = [.. weight];
        MeanAttemptWaste = _attemptWaste.Zip(_attemptWeight).Sum(x => x.First * x.Second);
        MeanExcess = (1 / SegmentSuccess - 1) * MeanAttemptWaste;
    }

    /// <summary>c.</summary>
    public double StepSeconds { get; }

    /// <summary>C.</summary>
    public double CheckpointSeconds { get; }

    /// <summary>K.</summary>
    public int Interval { get; }

    /// <summary>q.</summary>
    public double StepFailure { get; }

    /// <summary>s^K: the probability that a segment's first attempt succeeds.</summary>
    public double SegmentSuccess { get; }

    /// <summary>E[Y] / c.</summary>
    public double MeanAttemptWaste { get; }

    /// <summary>E[X] / c: the expected excess of one segment over its fault-free cost.</summary>
    public double MeanExcess { get; }

    /// <summary>The fault-free time N c + (N/K) C.</summary>
    public double FaultFree(int steps) => (steps * StepSeconds) + (steps / (double)Interval * CheckpointSeconds);

    /// <summary>E T(K).</summary>
    public double Expected(int steps) => FaultFree(steps) + (steps / (double)Interval * MeanExcess * StepSeconds);

    /// <summary>
    /// A band that the mean time of <paramref name="runs"/> independent runs leaves with probability
    /// at most <paramref name="alpha"/> (at most alpha/2 on each side), from Chernoff's bound on the
    /// sum of the M = runs N/K independent segment excesses: P(sum >= M x) &lt;= exp(-M I(x)) with
    /// I(x) = sup_theta (theta x - Lambda(theta)), Lambda the log moment generating function of X,
    /// Lambda(theta) = ln s^K - ln(1 - (1 - s^K) E e^(theta Y)). The bound holds for any
    /// distribution, so the band is exact in its guarantee (and somewhat wider than needed).
    /// </summary>
    public (double Low, double High) Band(int steps, int runs, double alpha)
    {
        var segments = (double)runs * steps / Interval;
        var level = Math.Log(2 / alpha) / segments;
        var mean = MeanExcess;
        double Rate(double x) => x >= mean ? Sup(x, upper: true) : Sup(x, upper: false);

        // Upper deviation: the smallest x > mean with I(x) >= level.
        var high = mean;
        var step = Math.Max(mean, 1);
        while (Rate(high + step) < level)
        {
            step *= 2;
        }

        var (a, b) = (high, high + step);
        for (var i = 0; i < 200; i++)
        {
            var mid = (a + b) / 2;
            (a, b) = Rate(mid) < level ? (mid, b) : (a, mid);
        }

        high = b;

        // Lower deviation: the largest x in [0, mean) with I(x) >= level; none when even all
        // segments without a failure (probability (s^K)^M) are likelier than alpha/2.
        double low;
        if (Rate(0) < level)
        {
            low = 0;
        }
        else
        {
            (a, b) = (0, mean);
            for (var i = 0; i < 200; i++)
            {
                var mid = (a + b) / 2;
                (a, b) = Rate(mid) < level ? (a, mid) : (mid, b);
            }

            low = a;
        }

        var scale = steps / (double)Interval * StepSeconds;
        return (FaultFree(steps) + (low * scale), FaultFree(steps) + (high * scale));
    }

    /// <summary>Lambda(theta), or +infinity outside its domain.</summary>
    private double LogMoment(double theta)
    {
        double moment = 0;
        for (var i = 0; i < _attemptWaste.Length; i++)
        {
            moment += _attemptWeight[i] * Math.Exp(theta * _attemptWaste[i]);
        }

        var denominator = 1 - ((1 - SegmentSuccess) * moment);
        return denominator > 0 ? Math.Log(SegmentSuccess) - Math.Log(denominator) : double.PositiveInfinity;
    }

    /// <summary>I(x): sup of theta x - Lambda(theta) over theta &gt; 0 (x above the mean) or theta &lt; 0 (below), by golden-section search (the function is concave).</summary>
    private double Sup(double x, bool upper)
    {
        double G(double theta) => (theta * x) - LogMoment(theta);
        double lo, hi;
        if (upper)
        {
            // The domain ends where (1 - s^K) E e^(theta Y) reaches 1.
            hi = 1e-6;
            while (double.IsFinite(LogMoment(hi * 2)) && hi < 1e6)
            {
                hi *= 2;
            }

            var (a, b) = (hi, hi * 2);
            for (var i = 0; i < 200; i++)
            {
                var mid = (a + b) / 2;
                (a, b) = double.IsFinite(LogMoment(mid)) ? (mid, b) : (a, mid);
            }

            (lo, hi) = (0, a);
        }
        else
        {
            // G falls without bound as theta -> -infinity when x > 0 (and tends to -ln s^K at x = 0).
            lo = -1e-6;
            while (G(lo * 2) > G(lo) && lo > -1e9)
            {
                lo *= 2;
            }

            (lo, hi) = (lo * 2, 0);
        }

        var ratio = (Math.Sqrt(5) - 1) / 2;
        var c = hi - (ratio * (hi - lo));
        var d = lo + (ratio * (hi - lo));
        for (var i = 0; i < 200; i++)
        {
            if (G(c) > G(d))
            {
                hi = d;
            }
            else
            {
                lo = c;
            }

            c = hi - (ratio * (hi - lo));
            d = lo + (ratio * (hi - lo));
        }

        return Math.Max(0, G((lo + hi) / 2));
    }
}
