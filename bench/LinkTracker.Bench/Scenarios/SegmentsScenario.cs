using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (f) Segments on a tenant with many clicks: typical segments run several times through the API (POST a run, poll its
/// status), p50/p95 against the 2 s target; then a pathological segment (any of many top-level nots: every recipient's
/// clicks, many times) must be refused by the cost ceiling, and, with the ceiling lifted, stopped by the statement
/// limit while another tenant's GET /api/stats keeps within 2x of its idle p99. Embedded deployment (SQLite).
/// </summary>
public sealed class SegmentsScenario : IScenario
{
    private const string Slug = "seg";
    private const string Calm = "calm";
    private const double P95TargetMs = 2_000;
    private const int StatsCalls = 200;

    public string Id => "f";

    public string Title => "Segments on a tenant with many clicks, and a pathological one beside another tenant";

    /// <summary>The typical segments; campaign, link and country values exist in <see cref="SegmentClicks"/>.</summary>
    private static readonly (string Name, string Filter)[] Typical =
    [
        ("campaign within 7 days", """{"clicked": {"campaign": "camp-3", "within": "P7D"}}"""),
        ("clicked A not B", """{"all": [{"clicked": {"link": "f1"}}, {"not": {"clicked": {"link": "f2"}}}]}"""),
        (">= 3 clicks in 30 days", """{"clicks": {"atLeast": 3, "within": "P30D"}}"""),
        ("campaign 14 days, DE/AT mobile", """{"clicked": {"campaign": "camp-1", "within": "P14D", "country": ["DE", "AT"], "device": "mobile"}}"""),
    ];

    private const int Nots = 30;

    /// <summary>Any of 30 top-level nots: each reads every recipient with a click, then the clicks of its link.</summary>
    private static string Pathological() =>
        "{\"any\": [" + string.Join(", ", Enumerable.Range(0, Nots).Select(i => "{\"not\": {\"clicks\": {\"atLeast\": 2, \"link\": \"f" + i.ToString(CultureInfo.InvariantCulture) + "\"}}}")) + "]}";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var data = context.NewFolder("f");
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in (string[])[Slug, Calm])
        {
            keys[slug] = (await LinkTrackerCli.AddTenantAsync(context.Paths, data, slug, cancellationToken)).ApiKey;
        }

        context.Log("(f) creating links");
        await using (var setup = await Deployment.StartAsync(context, data, keys, [], cancellationToken))
        {
            await setup[Slug].CreateLinksAsync([.. Enumerable.Range(0, SegmentClicks.Links).Select(i => new NewLink(Figures.Destination, SegmentClicks.Code(i), SegmentClicks.Campaign(i)))], cancellationToken);
            await setup[Calm].CreateLinksAsync([new NewLink(Figures.Destination, "calm1")], cancellationToken);
            await setup.StopAsync(report);
        }

        context.Log($"(f) writing {sizes.SegmentClicks:#,0} clicks ({sizes.SegmentRecipients:#,0} recipients) into the stopped tenant's database");
        var writeSeconds = await SegmentClicks.WriteAsync(data, Slug, sizes.SegmentClicks, sizes.SegmentRecipients, cancellationToken);
        await SegmentClicks.WriteAsync(data, Calm, 20_000, 2_000, cancellationToken);
        report.Figure("write.seconds", writeSeconds);
        report.Notes.Add($"Embedded (SQLite): {sizes.SegmentClicks:#,0} clicks over {SegmentClicks.Days} days on {SegmentClicks.Links:#,0} links in "
            + $"{SegmentClicks.Campaigns} campaigns, {sizes.SegmentRecipients:#,0} recipients, 10 % bots, 8 countries; written with SqliteClickStore in {writeSeconds:0} s. "
            + $"Tenant {Calm} (20,000 clicks) is the neighbour whose GET /api/stats is timed.");

        await using (var service = await Deployment.StartAsync(context, data, keys, [], cancellationToken))
        {
            await TypicalAsync(context, service[Slug], report, cancellationToken);
            await RefusedAsync(context, service[Slug], report, cancellationToken);
            await service.StopAsync(report);
        }

        // The same data with the cost ceiling lifted: now only the statement limit stands between the tenant and the machine.
        // Shorter in --quick, where the whole table is small enough for the filter to finish within a longer limit.
        var limit = sizes.Mode == "quick" ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        string[] lifted = ["Segments:MaxRowsPerRun=1000000000000", $"Segments:StatementTimeout={limit:c}"];
        await using (var service = await Deployment.StartAsync(context, data, keys, lifted, cancellationToken))
        {
            await NeighbourAsync(context, service[Slug], service[Calm], limit, report, cancellationToken);
            await service.StopAsync(report);
        }
    }

    private static async Task TypicalAsync(BenchContext context, TenantClient tenant, ScenarioReport report, CancellationToken cancellationToken)
    {
        var runs = context.Sizes.SegmentRuns;
        var table = new Table($"{runs} runs each, one after another (POST .../runs, poll the status every 20 ms)",
            "Segment", "recipients", "rows read", "p50 ms", "p95 ms", "max ms", "server p50 ms");
        foreach (var (name, filter) in Typical)
        {
            context.Log($"(f) {name}");
            var id = await CreateAsync(tenant, name, filter, cancellationToken);
            var wall = new List<double>();
            var server = new List<double>();
            JsonNode? last = null;
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                last = await RunToEndAsync(tenant, id, TimeSpan.FromMinutes(5), cancellationToken);
                wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if ((string?)last["state"] != "completed")
                {
                    throw new InvalidOperationException($"segment '{name}' ended {last.ToJsonString()}");
                }

                server.Add((long)last["durationMs"]!);
            }

            var key = Key(name);
            report.Figure($"{key}.p50_ms", Percentile(wall, 50));
            report.Figure($"{key}.p95_ms", Percentile(wall, 95));
            report.Figure($"{key}.recipients", (long)last!["recipients"]!);
            table.Add(name, (long)last["recipients"]!, (long)last["rowsRead"]!, Percentile(wall, 50), Percentile(wall, 95), wall.Max(), Percentile(server, 50));
            report.Check($"Segment run p95: {name}", Percentile(wall, 95), "<=", P95TargetMs, " ms");
        }

        report.Tables.Add(table);
    }

    private static async Task RefusedAsync(BenchContext context, TenantClient tenant, ScenarioReport report, CancellationToken cancellationToken)
    {
        context.Log("(f) the pathological segment at the default ceiling");
        var filter = Pathological();
        var preview = JsonNode.Parse((await tenant.PostRawAsync("/api/segments/preview", $$"""{"filter": {{filter}}}""", cancellationToken)).Body)!;
        var id = await CreateAsync(tenant, "pathological", filter, cancellationToken);
        var run = await tenant.PostRawAsync($"/api/segments/{id}/runs", "{}", cancellationToken);
        report.Figure("pathological.estimated_rows", (long)preview["estimatedRows"]!);
        report.Figure("pathological.max_rows_per_run", (long)preview["maxRowsPerRun"]!);
        report.Check("Pathological segment refused by the cost ceiling (preview allowed=false, POST runs 422)",
            (bool)preview["allowed"]! || run.Status != HttpStatusCode.UnprocessableEntity ? 0 : 1, "==", 1);
        report.Notes.Add($"Pathological filter: any of {Nots} top-level nots, each `not clicks >= 2 on link fN`. Preview: {(long)preview["estimatedRows"]!:#,0} rows "
            + $"estimated against the ceiling of {(long)preview["maxRowsPerRun"]!:#,0}; POST .../runs answered {(int)run.Status}.");
    }

    private static async Task NeighbourAsync(BenchContext context, TenantClient tenant, TenantClient calm, TimeSpan limit, ScenarioReport report, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var stats = string.Create(CultureInfo.InvariantCulture, $"/api/stats?from={now.AddDays(-30):yyyy-MM-ddTHH:mm:ssZ}&to={now:yyyy-MM-ddTHH:mm:ssZ}&granularity=day");
        for (var i = 0; i < 20; i++)
        {
            await calm.GetStringAsync(stats, cancellationToken);
        }

        context.Log("(f) the neighbour's stats, idle");
        var idle = await TimeStatsAsync(calm, stats, StatsCalls, () => false, cancellationToken);

        context.Log($"(f) the pathological segment with the ceiling lifted (statement limit {limit.TotalSeconds:0} s), the neighbour's stats meanwhile");
        var id = await CreateAsync(tenant, "pathological", Pathological(), cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var post = await tenant.PostRawAsync($"/api/segments/{id}/runs", "{}", cancellationToken);
        if (post.Status != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"the pathological run was not accepted with the ceiling lifted: {(int)post.Status} {post.Body}");
        }

        var status = (string)JsonNode.Parse(post.Body)!["statusUrl"]!;
        JsonNode? end = null;
        var poll = Task.Run(async () => end = await PollAsync(tenant, status, TimeSpan.FromMinutes(5), cancellationToken), cancellationToken);
        var during = await TimeStatsAsync(calm, stats, int.MaxValue, () => poll.IsCompleted, cancellationToken);
        await poll;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        report.Figure("neighbour.idle_p99_ms", idle.PercentileMs(99));
        report.Figure("neighbour.during_p99_ms", during.PercentileMs(99));
        report.Figure("neighbour.during_calls", during.Count);
        report.Figure("pathological.seconds_to_end", seconds);
        var table = new Table($"Tenant {Calm}: GET /api/stats (30 days by day), sequential", "When", "calls", "p50 ms", "p99 ms", "max ms");
        table.Add("idle", idle.Count, idle.PercentileMs(50), idle.PercentileMs(99), idle.MaxMs);
        table.Add("during the pathological run", during.Count, during.PercentileMs(50), during.PercentileMs(99), during.MaxMs);
        report.Tables.Add(table);
        report.Check("Pathological run stopped at its statement limit (state failed)", (string?)end!["state"] == "failed" ? 1 : 0, "==", 1);
        report.Check($"Neighbour stats p99 during it vs 2x idle p99 ({2 * idle.PercentileMs(99):0.0} ms)", during.PercentileMs(99), "<=", 2 * idle.PercentileMs(99), " ms");
        report.Notes.Add($"With Segments:MaxRowsPerRun lifted and Segments:StatementTimeout={limit:c}, the pathological run ended "
            + $"'{(string?)end["state"]}' after {seconds:0.0} s: {(string?)end["error"]}");
    }

    private static async Task<LatencyHistogram> TimeStatsAsync(TenantClient calm, string path, int calls, Func<bool> stop, CancellationToken cancellationToken)
    {
        var latency = new LatencyHistogram();
        for (var i = 0; i < calls && !stop(); i++)
        {
            var started = Stopwatch.GetTimestamp();
            await calm.GetStringAsync(path, cancellationToken);
            latency.RecordTimestamps(started, Stopwatch.GetTimestamp());
        }

        return latency;
    }

    private static async Task<string> CreateAsync(TenantClient tenant, string name, string filter, CancellationToken cancellationToken)
    {
        var created = await tenant.PostRawAsync("/api/segments", $$"""{"name": "{{name}}", "filter": {{filter}}}""", cancellationToken);
        return created.Status == HttpStatusCode.Created
            ? (string)JsonNode.Parse(created.Body)!["id"]!
            : throw new InvalidOperationException($"creating segment '{name}': {(int)created.Status} {created.Body}");
    }

    private static async Task<JsonNode> RunToEndAsync(TenantClient tenant, string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var post = await tenant.PostRawAsync($"/api/segments/{id}/runs", "{}", cancellationToken);
        return post.Status == HttpStatusCode.Accepted
            ? await PollAsync(tenant, (string)JsonNode.Parse(post.Body)!["statusUrl"]!, timeout, cancellationToken)
            : throw new InvalidOperationException($"running segment {id}: {(int)post.Status} {post.Body}");
    }

    /// <summary>Polls the run's status until it is completed or failed, within the timeout.</summary>
    private static async Task<JsonNode> PollAsync(TenantClient tenant, string status, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var run = JsonNode.Parse(await tenant.GetStringAsync(status, cancellationToken))!;
            if ((string?)run["state"] is "completed" or "failed" || Stopwatch.GetTimestamp() > deadline)
            {
                return run;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Key(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).Take(30)]);
}
