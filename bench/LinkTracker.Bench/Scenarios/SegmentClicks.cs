using System.Globalization;
using LinkTracker.Bench.Load;
using LinkTracker.Core.Clicks;
using LinkTracker.Sqlite;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The (f) tenant's clicks, written into its stopped database with the service's own adapter (SqliteClickStore, the
/// writer's code path) as in (d): in time order over <see cref="Days"/> days, with the enrichment the stage would add.
/// </summary>
public static class SegmentClicks
{
    public const int Links = 1_000;
    public const int Campaigns = 10;
    public const int Days = 90;
    private const int WriteBatch = 5_000;

    private static readonly string[] Countries = ["DE", "AT", "US", "FR", "GB", "NL", "IT", "ES"];
    private static readonly string[] Devices = ["desktop", "desktop", "mobile", "mobile", "tablet"];

    public static string Code(int i) => string.Create(CultureInfo.InvariantCulture, $"f{i}");

    public static string Campaign(int i) => string.Create(CultureInfo.InvariantCulture, $"camp-{i % Campaigns}");

    /// <returns>Seconds taken.</returns>
    public static async Task<double> WriteAsync(string data, string slug, int total, int recipients, CancellationToken cancellationToken)
    {
        var store = new SqliteClickStore(new SqliteDatabases(data));
        var random = new Random(11);
        var now = DateTimeOffset.UtcNow;
        var spanMs = (long)TimeSpan.FromDays(Days).TotalMilliseconds;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var clicks = new List<Click>(WriteBatch);
        for (var done = 0; done < total; done += WriteBatch)
        {
            clicks.Clear();
            var count = Math.Min(WriteBatch, total - done);
            for (var i = 0; i < count; i++)
            {
                var at = now.AddMilliseconds(-spanMs + (spanMs * ((double)done + i) / total) - random.Next(5_000));
                var bot = random.NextDouble() < 0.1;
                clicks.Add(new Click(
                    Guid.CreateVersion7(at), slug, Code(random.Next(Links)), "r" + random.Next(recipients).ToString(CultureInfo.InvariantCulture),
                    at, bot ? "Googlebot/2.1" : LoadGenerator.BrowserAgent, null, null, bot ? ClickFlags.Bot : ClickFlags.None)
                {
                    Reason = bot ? "crawler" : null,
                    Device = bot ? "bot" : Devices[random.Next(Devices.Length)],
                    Browser = bot ? "other" : "Chrome",
                    Os = bot ? "other" : "Windows",
                    Country = Countries[random.Next(Countries.Length)],
                });
            }

            var result = await store.WriteAsync(slug, clicks, cancellationToken);
            if (result.Inserted != count)
            {
                throw new InvalidOperationException($"{result.Inserted} of {count} clicks inserted ({result.Duplicates} duplicates)");
            }
        }

        SqliteConnection.ClearAllPools();
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
