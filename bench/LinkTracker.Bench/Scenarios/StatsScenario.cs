using System.Diagnostics;
using System.Globalization;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;
using LinkTracker.Core.Clicks;
using LinkTracker.Sqlite;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (d) Stats on a tenant with many clicks. Redirects are far too slow to make millions of clicks on 2 cores,
/// so the clicks are written into the stopped tenant's database with the service's own adapter
/// (SqliteClickStore, the writer's code path); then the stats API is timed.
/// </summary>
public sealed class StatsScenario : IScenario
{
    private const string Slug = "stats";
    private const int Links = 1_000;
    private const int Campaigns = 10;
    private const int Days = 90;
    private const int WriteBatch = 5_000;
    private const double BotShare = 0.1;
    private const double P99TargetMs = 50; // the target: stats p99 < 50 ms

    public string Id => "d";

    public string Title => "Stats latency on a tenant with many clicks";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var data = context.NewFolder("d");
        var key = (await LinkTrackerCli.AddTenantAsync(context.Paths, data, Slug, cancellationToken)).ApiKey;
        var keys = new Dictionary<string, string> { [Slug] = key };
        var codes = Enumerable.Range(0, Links).Select(i => $"d{i}").ToArray();
        context.Log("(d) creating links");
        await using (var setup = await Deployment.StartAsync(context, data, keys, [], cancellationToken))
        {
            await setup[Slug].CreateLinksAsync([.. codes.Select((c, i) => new NewLink(Figures.Destination, c, Campaign(i)))], cancellationToken);
            await setup.StopAsync(report);
        }

        context.Log($"(d) writing {sizes.StatsClicks:#,0} clicks into the stopped tenant's database, {WriteBatch:#,0} per transaction");
        var (human, writeSeconds, firstMsPer1000, lastMsPer1000) = await WriteClicksAsync(data, codes, sizes, cancellationToken);
        var dbBytes = new FileInfo(Path.Combine(data, "tenants", Slug + ".db")).Length;
        report.Figure("write.clicks", sizes.StatsClicks);
        report.Figure("write.seconds", writeSeconds);
        report.Figure("write.clicks_per_second", sizes.StatsClicks / writeSeconds);
        report.Figure("write.first_ms_per_1000", firstMsPer1000);
        report.Figure("write.last_ms_per_1000", lastMsPer1000);
        report.Figure("write.database_bytes", dbBytes);
        report.Notes.Add($"{sizes.StatsClicks:#,0} clicks over the last {Days} days on {Links:#,0} links in {Campaigns} campaigns, {sizes.StatsRecipients:#,0} recipients, "
            + $"{BotShare:P0} bots; written with SqliteClickStore.WriteAsync in {writeSeconds:0} s ({sizes.StatsClicks / writeSeconds:#,0} clicks/s; "
            + $"{firstMsPer1000:0} ms per 1,000 clicks in the first tenth, {lastMsPer1000:0} ms in the last). Database: {dbBytes / 1048576.0:#,0} MiB.");
        report.Notes.Add($"The writer's ceiling on this machine is about 1,000 / ({lastMsPer1000:0} ms) = {1000 * 1000 / lastMsPer1000:#,0} clicks/s "
            + "(one transaction at a time), against the 20,000 clicks/s the default cap (20 x 1,000) allows.");

        context.Log("(d) timing the stats API");
        await using var service = await Deployment.StartAsync(context, data, keys, [], cancellationToken);
        var tenant = service[Slug];
        var now = DateTimeOffset.UtcNow;
        var total = await tenant.GetStatsAsync(Range("/api/stats", now.AddDays(-Days - 2), now.AddDays(1), "day"), cancellationToken);
        report.Integrity.Add(new Integrity(Slug, "stats totals vs clicks written", sizes.StatsClicks, total.Totals.Clicks,
            Math.Max(0, sizes.StatsClicks - total.Totals.Clicks), Math.Max(0, total.Totals.Clicks - sizes.StatsClicks), 0));
        report.Figure("stats.total_clicks", total.Totals.Clicks);
        report.Figure("stats.total_human_clicks", total.Totals.HumanClicks);
        report.Figure("stats.expected_human_clicks", human);

        var queries = new (string Name, Func<Random, string> Path)[]
        {
            ("tenant, 90 days by day", _ => Range("/api/stats", now.AddDays(-Days), now, "day")),
            ("tenant, 7 days by hour", _ => Range("/api/stats", now.AddDays(-7), now, "hour")),
            ("campaign, 30 days by day", r => Range("/api/stats", now.AddDays(-30), now, "day") + "&campaign=" + Campaign(r.Next(Campaigns))),
            ("link, 30 days by day", r => Range($"/api/links/{codes[r.Next(Links)]}/stats", now.AddDays(-30), now, "day")),
            ("link, 7 days by hour", r => Range($"/api/links/{codes[r.Next(Links)]}/stats", now.AddDays(-7), now, "hour")),
        };
        var table = new Table($"{sizes.StatsCalls:#,0} sequential calls each (after 20 unmeasured)", "Query", "p50 ms", "p90 ms", "p99 ms", "max ms");
        var random = new Random(42);
        foreach (var (name, path) in queries)
        {
            for (var i = 0; i < 20; i++)
            {
                await tenant.GetStringAsync(path(random), cancellationToken);
            }

            var latency = new LatencyHistogram();
            for (var i = 0; i < sizes.StatsCalls; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await tenant.GetStringAsync(path(random), cancellationToken);
                latency.RecordTimestamps(started, Stopwatch.GetTimestamp());
            }

            var id = name.Replace(", ", "_", StringComparison.Ordinal).Replace(' ', '_');
            report.Figure($"{id}.p50_ms", latency.PercentileMs(50));
            report.Figure($"{id}.p99_ms", latency.PercentileMs(99));
            report.Figure($"{id}.max_ms", latency.MaxMs);
            table.Add(name, latency.PercentileMs(50), latency.PercentileMs(90), latency.PercentileMs(99), latency.MaxMs);
            report.Check($"Stats p99: {name}", latency.PercentileMs(99), "<=", P99TargetMs, " ms");
        }

        report.Tables.Add(table);
        await service.StopAsync(report);
    }

    private static string Campaign(int i) => $"camp-{i % Campaigns}";

    private static string Range(string path, DateTimeOffset from, DateTimeOffset to, string granularity) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}?from={from:yyyy-MM-ddTHH:mm:ssZ}&to={to:yyyy-MM-ddTHH:mm:ssZ}&granularity={granularity}");

    /// <returns>Human clicks written, seconds taken, and ms per 1,000 clicks in the first and last tenth of the batches.</returns>
    private static async Task<(long Human, double Seconds, double FirstMsPer1000, double LastMsPer1000)> WriteClicksAsync(
        string data, string[] codes, Sizes sizes, CancellationToken cancellationToken)
    {
        var store = new SqliteClickStore(new SqliteDatabases(data));
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var spanMs = (long)TimeSpan.FromDays(Days).TotalMilliseconds;
        var batches = (sizes.StatsClicks + WriteBatch - 1) / WriteBatch;
        var tenth = Math.Max(1, batches / 10);
        double firstMs = 0, lastMs = 0;
        long firstClicks = 0, lastClicks = 0, human = 0;
        var started = Stopwatch.GetTimestamp();
        var clicks = new List<Click>(WriteBatch);
        for (var b = 0; b < batches; b++)
        {
            clicks.Clear();
            var count = Math.Min(WriteBatch, sizes.StatsClicks - (b * WriteBatch));
            for (var i = 0; i < count; i++)
            {
                // In time order, as the writer sees them (ids are UUIDv7), a few seconds of jitter.
                var at = now.AddMilliseconds(-spanMs + (spanMs * ((double)(b * WriteBatch) + i) / sizes.StatsClicks) - random.Next(5_000));
                var bot = random.NextDouble() < BotShare;
                human += bot ? 0 : 1;
                clicks.Add(new Click(
                    Guid.CreateVersion7(at), Slug, codes[random.Next(codes.Length)], "r" + random.Next(sizes.StatsRecipients).ToString(CultureInfo.InvariantCulture),
                    at, bot ? "Googlebot/2.1" : LoadGenerator.BrowserAgent, null, "203.0.113.0", bot ? ClickFlags.Bot : ClickFlags.None));
            }

            var batchStarted = Stopwatch.GetTimestamp();
            var result = await store.WriteAsync(Slug, clicks, cancellationToken);
            var ms = Stopwatch.GetElapsedTime(batchStarted).TotalMilliseconds;
            if (result.Inserted != count)
            {
                throw new InvalidOperationException($"batch {b}: {result.Inserted} of {count} clicks inserted ({result.Duplicates} duplicates)");
            }

            if (b < tenth)
            {
                (firstMs, firstClicks) = (firstMs + ms, firstClicks + count);
            }

            if (b >= batches - tenth)
            {
                (lastMs, lastClicks) = (lastMs + ms, lastClicks + count);
            }
        }

        SqliteConnection.ClearAllPools();
        return (human, Stopwatch.GetElapsedTime(started).TotalSeconds, firstMs * 1000 / firstClicks, lastMs * 1000 / lastClicks);
    }
}
