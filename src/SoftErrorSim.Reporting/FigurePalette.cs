using ScottPlot;

namespace SoftErrorSim.Reporting;

/// <summary>How one scheme is drawn in every figure: its colour and marker shape.</summary>
/// <param name="Key">The scheme's name in the CSV files (gpd, mds, replication, uncoded, fault-free).</param>
/// <param name="DisplayName">The scheme's name in legends.</param>
/// <param name="Color">Its colour, the same in every figure.</param>
/// <param name="Marker">Its filled marker; dashed series (theory, adversarial errors) use the open counterpart.</param>
public sealed record SchemeStyle(string Key, string DisplayName, Color Color, MarkerShape Marker);

/// <summary>
/// The one palette of every figure. Colours are Okabe and Ito's (2008) colour-blind-safe set: each
/// scheme has one colour and one marker shape everywhere; series that are not schemes (thresholds,
/// decode outcomes) take the quantity colours, which no scheme uses.
/// </summary>
public static class FigurePalette
{
    /// <summary>The schemes, in the order legends list them.</summary>
    public static IReadOnlyList<SchemeStyle> Schemes { get; } =
    [
        new("fault-free", "fault-free", Color.FromHex("#000000"), MarkerShape.OpenCircle),
        new("gpd", "GPD", Color.FromHex("#0072B2"), MarkerShape.FilledCircle),
        new("mds", "CodeNet MDS", Color.FromHex("#E69F00"), MarkerShape.FilledSquare),
        new("replication", "replication", Color.FromHex("#009E73"), MarkerShape.FilledTriangleUp),
        new("uncoded", "uncoded", Color.FromHex("#D55E00"), MarkerShape.FilledDiamond),
    ];

    /// <summary>Colours for series that are not schemes (reddish purple, sky blue, grey, brown, yellow).</summary>
    public static IReadOnlyList<Color> Quantities { get; } =
    [
        Color.FromHex("#CC79A7"), Color.FromHex("#56B4E9"), Color.FromHex("#7F7F7F"), Color.FromHex("#8C510A"), Color.FromHex("#F0E442"),
    ];

    /// <summary>Markers of the quantity series, in the order of <see cref="Quantities"/>.</summary>
    public static IReadOnlyList<MarkerShape> QuantityMarkers { get; } =
    [
        MarkerShape.FilledSquare, MarkerShape.FilledTriangleDown, MarkerShape.FilledDiamond, MarkerShape.FilledCircle, MarkerShape.FilledTriangleUp,
    ];

    /// <summary>The colour of legend keys that describe a kind of mark rather than a series.</summary>
    public static Color Neutral { get; } = Color.FromHex("#404040");

    /// <summary>
    /// The style of a scheme from its CSV name or an alias ("codenet" for mds, "faultfree", "none"),
    /// case-insensitive; null when the name is no scheme.
    /// </summary>
    public static SchemeStyle? Find(string? scheme)
    {
        var key = scheme?.Trim().ToUpperInvariant() switch
        {
            "GPD" => "gpd",
            "MDS" or "CODENET" or "CODENET MDS" => "mds",
            "REPLICATION" => "replication",
            "UNCODED" => "uncoded",
            "FAULT-FREE" or "FAULTFREE" or "FAULT_FREE" or "NONE" => "fault-free",
            _ => null,
        };
        return key is null ? null : Schemes.First(s => s.Key == key);
    }

    /// <summary>The style of a scheme; an unknown name is an error.</summary>
    public static SchemeStyle For(string scheme) =>
        Find(scheme) ?? throw new ArgumentException($"no figure style for scheme '{scheme}'", nameof(scheme));

    /// <summary>The quantity colour of slot <paramref name="slot"/> (cycling).</summary>
    public static Color Quantity(int slot) => Quantities[((slot % Quantities.Count) + Quantities.Count) % Quantities.Count];

    /// <summary>The marker of quantity slot <paramref name="slot"/> (cycling).</summary>
    public static MarkerShape QuantityMarker(int slot) => QuantityMarkers[((slot % QuantityMarkers.Count) + QuantityMarkers.Count) % QuantityMarkers.Count];

    /// <summary>
    /// Shade <paramref name="shade"/> of a colour, for several series of one scheme in one figure
    /// (GPD forward and backward, two node counts): 0 is the colour itself, odd shades are darker,
    /// even shades lighter, further from the colour as the shade grows; the hue stays the scheme's.
    /// </summary>
    public static Color Shade(Color color, int shade)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shade);
        if (shade == 0)
        {
            return color;
        }

        var amount = Math.Min(0.75, 0.4 * ((shade + 1) / 2));
        var target = shade % 2 == 1 ? 0 : 255;
        byte Mix(byte c) => (byte)Math.Round(c + ((target - c) * amount));
        return new Color(Mix(color.R), Mix(color.G), Mix(color.B), color.A);
    }

    /// <summary>The open counterpart of a filled marker (dashed series, adversarial errors, bounds).</summary>
    public static MarkerShape Open(MarkerShape shape) => shape switch
    {
        MarkerShape.FilledCircle => MarkerShape.OpenCircle,
        MarkerShape.FilledSquare => MarkerShape.OpenSquare,
        MarkerShape.FilledTriangleUp => MarkerShape.OpenTriangleUp,
        MarkerShape.FilledTriangleDown => MarkerShape.OpenTriangleDown,
        MarkerShape.FilledDiamond => MarkerShape.OpenDiamond,
        _ => shape,
    };
}
