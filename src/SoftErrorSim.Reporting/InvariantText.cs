using System.Globalization;

namespace SoftErrorSim.Reporting;

/// <summary>Numbers to and from text in the invariant culture: the only way CSV fields are formatted or parsed.</summary>
public static class InvariantText
{
    /// <summary>A whole number.</summary>
    public static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An optional integer; empty when absent.</summary>
    public static string Optional(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Shortest round-trip text of a double.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An optional double; empty when absent.</summary>
    public static string Optional(double? value) => value is { } v ? Number(v) : string.Empty;

    /// <summary>Parses an integer.</summary>
    public static int ParseInt(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Parses an optional integer (empty: absent).</summary>
    public static int? ParseOptionalInt(string text) => text.Length == 0 ? null : ParseInt(text);

    /// <summary>Parses a long.</summary>
    public static long ParseLong(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Parses an unsigned long.</summary>
    public static ulong ParseULong(string text) => ulong.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Parses a double: decimal point and exponent only (no group separators, so a decimal comma is an error, never a factor of ten).</summary>
    public static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Parses an optional double (empty: absent).</summary>
    public static double? ParseOptionalDouble(string text) => text.Length == 0 ? null : ParseDouble(text);
}
