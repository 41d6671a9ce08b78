using System.Globalization;
using CsvHelper;

namespace SoftErrorSim.Reporting;

/// <summary>
/// A CSV file as a header and rows of fields, read and written with CsvHelper (RFC 4180, comma,
/// LF line ends). Fields are formatted by the callers with the invariant culture, so the machine's
/// locale never reaches the file.
/// </summary>
public static class CsvTable
{
    /// <summary>The CSV text of a header and its rows.</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, true))
        {
            csv.WriteRecord(header.ToArray());
            foreach (var row in rows)
            {
                if (row.Count != header.Count)
                {
                    throw new ArgumentException($"a row has {row.Count} fields, the header {header.Count}");
                }

                csv.WriteRecord(row.ToArray());
            }

            csv.Flush();
        }

        return text.ToString();
    }

    /// <summary>Parses CSV text; throws <see cref="InvalidDataException"/> unless its header is <paramref name="expectedHeader"/>.</summary>
    public static List<string[]> Read(string text, IReadOnlyList<string> expectedHeader, string what)
    {
        ArgumentNullException.ThrowIfNull(expectedHeader);
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { Separator = ',', HasHeader = false, FormatProvider = CultureInfo.InvariantCulture });
        var rows = new List<string[]>();
        while (csv.Read())
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }

            rows.Add(fields);
        }

        if (rows.Count == 0 || !rows[0].SequenceEqual(expectedHeader))
        {
            throw new InvalidDataException($"not a {what}: the header must be {string.Join(',', expectedHeader)}");
        }

        rows.RemoveAt(0);
        foreach (var row in rows)
        {
            if (row.Length != expectedHeader.Count)
            {
                throw new InvalidDataException($"malformed {what}: a row has {row.Length} fields, expected {expectedHeader.Count}");
            }
        }

        return rows;
    }
}
