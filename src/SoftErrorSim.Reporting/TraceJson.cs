using System.Text.Json;
using SoftErrorSim.Core.Faults;
using SoftErrorSim.Core.Training;

namespace SoftErrorSim.Reporting;

/// <summary>
/// A training run's timeline as Chrome trace event JSON (SPEC 5), which Perfetto and
/// chrome://tracing open: one process per scheme, one thread (track) per node, a complete event
/// ("ph":"X") per span and an instant event ("ph":"i") per injected fault carrying the same facts
/// as its faults.csv row. Times are simulated microseconds from the run's start; numbers are
/// written by <see cref="Utf8JsonWriter"/>, which never uses the current culture.
/// </summary>
public static class TraceJson
{
    /// <summary>The JSON bytes for the runs' timelines, one process per scheme in the given order.</summary>
    public static byte[] Write(IEnumerable<(string Scheme, Timeline Timeline)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("displayTimeUnit", "ms");
            json.WriteStartArray("traceEvents");
            var pid = 0;
            foreach (var (scheme, timeline) in runs)
            {
                pid++;
                Metadata(json, "process_name", pid, null, $"{scheme} (steps {timeline.Window.FirstStep}-{timeline.Window.LastStep}, simulated time)");
                for (var p = 0; p < timeline.NodeCount; p++)
                {
                    Metadata(json, "thread_name", pid, p, $"node {p}");
                    json.WriteStartObject();
                    json.WriteString("name", "thread_sort_index");
                    json.WriteString("ph", "M");
                    json.WriteNumber("pid", pid);
                    json.WriteNumber("tid", p);
                    json.WriteStartObject("args");
                    json.WriteNumber("sort_index", p);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                foreach (var span in timeline.Spans)
                {
                    json.WriteStartObject();
                    json.WriteString("name", Name(span.Activity));
                    json.WriteString("cat", Name(span.Activity));
                    json.WriteString("ph", "X");
                    json.WriteNumber("ts", Microseconds(span.StartSeconds));
                    json.WriteNumber("dur", Microseconds(span.DurationSeconds));
                    json.WriteNumber("pid", pid);
                    json.WriteNumber("tid", span.Node);
                    json.WriteStartObject("args");
                    json.WriteNumber("step", span.Step);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                foreach (var (f, seconds) in timeline.Faults)
                {
                    json.WriteStartObject();
                    json.WriteString("name", f.Cause == FaultCause.Independent ? $"fault: {FaultRecord.Name(f.Kind)} ({FaultRecord.Name(f.Verdict)})" : $"fault: {FaultRecord.Name(f.Kind)} ({FaultRecord.Name(f.Verdict)}, {FaultRecord.Name(f.Cause)})");
                    json.WriteString("cat", "fault");
                    json.WriteString("ph", "i");
                    json.WriteString("s", "t");
                    json.WriteNumber("ts", Microseconds(seconds));
                    json.WriteNumber("pid", pid);
                    json.WriteNumber("tid", f.Node);
                    json.WriteStartObject("args");
                    json.WriteNumber("step", f.Step);
                    json.WriteNumber("sample", f.Sample);
                    json.WriteNumber("layer", f.Layer);
                    json.WriteString("pass", f.Forward ? "forward" : "backward");
                    json.WriteNumber("node", f.Node);
                    json.WriteString("step_kind", FaultRecord.Name(f.Kind));
                    json.WriteString("fault_kind", ErrorValueModel.Name(f.FaultKind));
                    json.WriteString("detail", f.Detail);
                    json.WriteString("verdict", FaultRecord.Name(f.Verdict));
                    json.WriteString("cause", FaultRecord.Name(f.Cause));
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The name of a span's activity in the trace.</summary>
    public static string Name(TimelineActivity activity) => activity switch
    {
        TimelineActivity.AllGather => "all-gather",
        TimelineActivity.StorageCheck => "storage-check",
        _ => activity.ToString().ToLowerInvariant(),
    };

    /// <summary>Simulated seconds as trace microseconds, rounded to 1e-6 us (a picosecond) so that the products' binary noise does not print.</summary>
    private static double Microseconds(double seconds) => Math.Round(seconds * 1e6, 6);

    private static void Metadata(Utf8JsonWriter json, string name, int pid, int? tid, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        if (tid is { } thread)
        {
            json.WriteNumber("tid", thread);
        }

        json.WriteStartObject("args");
        json.WriteString("name", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
