using System.CommandLine;

namespace SoftErrorSim.Cli;

/// <summary>
/// Command-line names of enum values, defined once: an option accepts exactly the names the
/// given naming function produces, and its value maps back to the enum through the same function.
/// </summary>
public static class Names
{
    /// <summary>The kebab-case name of an enum value (Chebyshev to chebyshev, BoundedDistance to bounded-distance).</summary>
    public static string Kebab<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>An option over the values of <typeparamref name="T"/>, named by <paramref name="name"/>.</summary>
    public static Option<string> Option<T>(string option, string description, T defaultValue, Func<T, string> name)
        where T : struct, Enum
    {
        var result = new Option<string>(option) { Description = description, DefaultValueFactory = _ => name(defaultValue) };
        result.AcceptOnlyFromAmong(Enum.GetValues<T>().Select(name).ToArray());
        return result;
    }

    /// <summary>The enum value whose name is <paramref name="text"/>.</summary>
    public static T Parse<T>(string? text, Func<T, string> name)
        where T : struct, Enum =>
        Enum.GetValues<T>().Single(v => name(v) == text);
}
