using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SoftErrorSim.Cli;

/// <summary>
/// Rules every option and argument of the tool obeys, applied once to the whole command tree
/// rather than option by option: numbers are read in the invariant culture whatever the machine's
/// language (0.5 is one half under de_DE too, and "0,5" is refused rather than read as 5), are
/// finite, and are named in plain words when they cannot be read; text values are never empty;
/// and a value that looks like an option ("--trials") is never taken as a name or a folder.
/// </summary>
public static class CommandLineRules
{
    /// <summary>Applies the rules to every option and argument of <paramref name="command"/> and its subcommands.</summary>
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in command.Options)
        {
            Apply(option);
        }

        foreach (var argument in command.Arguments)
        {
            Apply(argument);
        }

        foreach (var sub in command.Subcommands)
        {
            Apply(sub);
        }
    }

    /// <summary>Reads an integer: optional sign and digits only, invariant culture.</summary>
    public static bool TryInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a real number: decimal point, optional exponent, no group separators, finite.</summary>
    public static bool TryReal(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static void Apply(Option option)
    {
        switch (option)
        {
            case Option<int> o:
                o.CustomParser = r => (int)Whole(r, o.Name, int.MinValue, int.MaxValue);
                break;
            case Option<int?> o:
                o.CustomParser = r => (int?)Whole(r, o.Name, int.MinValue, int.MaxValue);
                break;
            case Option<long> o:
                o.CustomParser = r => Whole(r, o.Name, long.MinValue, long.MaxValue);
                break;
            case Option<ulong> o:
                o.CustomParser = r => Unsigned(r, o.Name);
                break;
            case Option<ulong?> o:
                o.CustomParser = r => Unsigned(r, o.Name);
                break;
            case Option<double> o:
                o.CustomParser = r => Real(r, o.Name);
                break;
            case Option<double?> o:
                o.CustomParser = r => Real(r, o.Name);
                break;
            case Option<string> o:
                o.Validators.Add(r => Text(r, o.Name));
                break;
            default:
                break;
        }
    }

    private static void Apply(Argument argument) =>
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith("--", StringComparison.Ordinal))
                {
                    r.AddError($"unknown option '{token.Value}'");
                    return;
                }

                if (string.IsNullOrWhiteSpace(token.Value))
                {
                    r.AddError(argument.Name switch
                    {
                        "CSV" => "CSV is empty: name a file",
                        "DIR" => "DIR is empty: name a folder",
                        _ => $"{argument.Name} is empty: give it a value",
                    });
                    return;
                }
            }
        });

    private static void Text(OptionResult result, string name)
    {
        foreach (var token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError(name == "--out" ? "--out is empty: name an output folder" : $"{name} is empty: give it a value");
                return;
            }
        }
    }

    private static string? Single(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;

    private static long Whole(ArgumentResult result, string name, long min, long max)
    {
        if (Single(result) is not { } text)
        {
            return 0;
        }

        if (!TryInteger(text, out var value))
        {
            result.AddError(TryReal(text, out _) || text.Contains(',', StringComparison.Ordinal)
                ? $"{name} must be a whole number (got '{text}')"
                : $"{name}: '{text}' is not a whole number");
            return 0;
        }

        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must lie between {min} and {max} (got {text})"));
            return 0;
        }

        return value;
    }

    private static ulong Unsigned(ArgumentResult result, string name)
    {
        if (Single(result) is not { } text)
        {
            return 0;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be a whole number from 0 to {ulong.MaxValue} (got '{text}')");
            return 0;
        }

        return value;
    }

    private static double Real(ArgumentResult result, string name)
    {
        if (Single(result) is not { } text)
        {
            return 0;
        }

        if (!TryReal(text, out var value))
        {
            result.AddError(text.Contains(',', StringComparison.Ordinal)
                ? $"{name}: '{text}' is not a number (write decimals with a point: {text.Replace(',', '.')})"
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? $"{name} must be a finite number (got '{text}')"
                    : $"{name}: '{text}' is not a number");
            return 0;
        }

        return value;
    }
}
