using System.CommandLine;

namespace SoftErrorSim.Cli;

/// <summary>
/// Command-line names of enum values, defined once: an option accepts exactly the names the
/// given naming function produces (and, as aliases, the same names with or without hyphens, so
/// `bitflip` and `bit-flip` are one value everywhere), and its value maps back to the enum through
/// the same function.
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
        ArgumentNullException.ThrowIfNull(name);
        var names = Enum.GetValues<T>().Select(name).ToArray();
        var result = new Option<string>(option) { Description = description, DefaultValueFactory = _ => name(defaultValue) };
        result.CompletionSources.Add(names);
        result.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && TryParse(r.Tokens[^1].Value, name, out T _) is false)
            {
                r.AddError($"{option}: '{r.Tokens[^1].Value}' is not one of {string.Join(", ", names)}");
            }
        });
        return result;
    }

    /// <summary>The enum value whose name (or alias) is <paramref name="text"/>.</summary>
    public static T Parse<T>(string? text, Func<T, string> name)
        where T : struct, Enum =>
        TryParse(text, name, out T value) ? value : throw new UsageException($"'{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(name))}");

    /// <summary>Finds the value named <paramref name="text"/>: its name, or its name with or without hyphens.</summary>
    public static bool TryParse<T>(string? text, Func<T, string> name, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var candidate in Enum.GetValues<T>())
        {
            var canonical = name(candidate);
            if (text == canonical || (text is not null && Squash(text) == Squash(canonical)))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Squash(string text) => text.Replace("-", string.Empty, StringComparison.Ordinal);
}
