using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SoftErrorSim.Reporting;

/// <summary>The manifest.json every output folder gets (SPEC 6): configuration, seed, version, machine, wall time.</summary>
public static class Manifest
{
    /// <summary>The simulator's version, from the assembly.</summary>
    public static string Version =>
        typeof(Manifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Builds the manifest text. <paramref name="configuration"/> is any JSON-serialisable object
    /// describing the run; <paramref name="extra"/> holds command-specific facts.
    /// </summary>
    public static byte[] Create(
        string command,
        IReadOnlyList<string> arguments,
        object configuration,
        ulong seed,
        TimeSpan wallTime,
        DateTimeOffset startedUtc,
        IReadOnlyDictionary<string, JsonNode?>? extra = null)
    {
        var root = new JsonObject
        {
            ["tool"] = "softerrorsim",
            ["version"] = Version,
            ["command"] = command,
            ["arguments"] = new JsonArray(arguments.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["seed"] = seed,
            ["configuration"] = JsonSerializer.SerializeToNode(configuration, Json.Options),
            ["started_utc"] = startedUtc.ToString("O", CultureInfo.InvariantCulture),
            ["wall_seconds"] = Math.Round(wallTime.TotalSeconds, 3),
            ["machine"] = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription,
                ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
                ["processors"] = Environment.ProcessorCount,
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["host"] = Environment.MachineName,
            },
        };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                root[key] = value;
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(Json.Options) + "\n");
    }
}

/// <summary>Shared JSON settings: indented, enums as kebab-case strings, invariant numbers.</summary>
public static class Json
{
    /// <summary>The options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
