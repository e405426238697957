using System.Reflection;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>Reads the data files kept with the enrichers (Clicks/Enrichment/Data): lines that are neither empty nor comments.</summary>
internal static class EnrichmentData
{
    public static IReadOnlyList<string> Lines(string file)
    {
        var name = $"LinkTracker.Clicks.Enrichment.Data.{file}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The enrichment data file {file} is missing from the build.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
