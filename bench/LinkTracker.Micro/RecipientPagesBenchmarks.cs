using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LinkTracker.Core.Segments;

namespace LinkTracker.Micro;

/// <summary>
/// A PostgreSQL segment run's recipients (the bench's "at least 3 clicks in 30 days": 655,000) from json_agg's text to
/// pages: parsed into strings and written out again (until session 25), or sliced from the text.
/// </summary>
[MemoryDiagnoser]
public class RecipientPagesBenchmarks
{
    private string _json = "";

    [GlobalSetup]
    public void Setup()
    {
        var names = Enumerable.Range(0, 655_000).Select(i => "recipient" + i.ToString("D7", CultureInfo.InvariantCulture) + "@example.com");
        _json = "[" + string.Join(", ", names.Select(n => "\"" + n + "\"")) + "]";
    }

    [Benchmark(Baseline = true)]
    public int ParsedThenCut() => RecipientPages.Cut(JsonSerializer.Deserialize<List<string>>(_json)!).Count;

    [Benchmark]
    public int Sliced() => RecipientPages.Cut(_json).Pages.Count;
}
