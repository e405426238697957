using System.Globalization;
using LinkTracker.Bench.Load;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The (f) tenants' clicks: in time order over <see cref="Days"/> days (whole milliseconds, never decreasing, so the
/// order they are written in is their time order, as the writer meets them), with the enrichment the stage would add.
/// The same seed gives the same clicks, ids aside.
/// </summary>
public static class SegmentClicks
{
    public const int Links = 1_000;
    public const int Campaigns = 10;
    public const int Days = 90;

    private static readonly string[] Countries = ["DE", "AT", "US", "FR", "GB", "NL", "IT", "ES"];
    private static readonly string[] Devices = ["desktop", "desktop", "mobile", "mobile", "tablet"];

    public static string Code(int i) => string.Create(CultureInfo.InvariantCulture, $"f{i}");

    public static string Campaign(int i) => string.Create(CultureInfo.InvariantCulture, $"camp-{i % Campaigns}");

    /// <param name="slug">The tenant.</param>
    /// <param name="total">Clicks.</param>
    /// <param name="recipients">Distinct recipients they are drawn from.</param>
    /// <param name="end">The last click's instant (whole milliseconds).</param>
    /// <param name="seed">The same seed gives the same clicks (but new ids).</param>
    /// <param name="span">How long before <paramref name="end"/> the first click is (default: <see cref="Days"/> days).</param>
    public static IEnumerable<Click> Generate(string slug, int total, int recipients, DateTimeOffset end, int seed = 11, TimeSpan? span = null)
    {
        var random = new Random(seed);
        var endMs = end.ToUnixTimeMilliseconds();
        var spanMs = (long)(span ?? TimeSpan.FromDays(Days)).TotalMilliseconds;
        for (long i = 0; i < total; i++)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(endMs - spanMs + (spanMs * i / total));
            var bot = random.NextDouble() < 0.1;
            yield return new Click(
                Guid.CreateVersion7(at), slug, Code(random.Next(Links)), "r" + random.Next(recipients).ToString(CultureInfo.InvariantCulture),
                at, bot ? "Googlebot/2.1" : LoadGenerator.BrowserAgent, null, null, bot ? ClickFlags.Bot : ClickFlags.None)
            {
                Reason = bot ? "crawler" : null,
                Device = bot ? "bot" : Devices[random.Next(Devices.Length)],
                Browser = bot ? "other" : "Chrome",
                Os = bot ? "other" : "Windows",
                Country = Countries[random.Next(Countries.Length)],
            };
        }
    }

    /// <summary>Through the writer's own adapter (<see cref="IClickStore.WriteAsync"/>), in batches of <paramref name="batch"/>.</summary>
    /// <returns>Seconds taken.</returns>
    public static async Task<double> WriteAsync(IClickStore store, string slug, IEnumerable<Click> clicks, int batch, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var chunk in clicks.Chunk(batch))
        {
            var result = await store.WriteAsync(slug, chunk, cancellationToken);
            if (result.Inserted != chunk.Length)
            {
                throw new InvalidOperationException($"{result.Inserted} of {chunk.Length} clicks inserted ({result.Duplicates} duplicates)");
            }
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
