using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (f) Segments on a tenant with many clicks: typical segments run several times through the API (POST a run, poll its
/// status), p50/p95 against the 2 s target; then a pathological segment (any of many top-level nots: every recipient's
/// clicks, many times) must be refused by the cost ceiling, and, with the ceiling lifted, stopped by the statement
/// limit while another tenant's GET /api/stats keeps within 2x of its idle p99; and the dashboard's pages (issue #14).
/// On each engine of --engines: SQLite (embedded) and PostgreSQL (one `serve` on the bench's private server). The clicks
/// are bulk-loaded into the stopped tenant (SqliteBulkClicks, PostgresBulkClicks), and a neighbour written through the
/// writer's adapter is compared with its bulk-loaded twin (RollupTwins).
/// </summary>
public sealed class SegmentsScenario : IScenario
{
    private const string Slug = "seg";
    private const string Calm = "calm";
    private const string CalmLoaded = "calmb";
    private const int CalmClicks = 20_000;
    private const int CalmRecipients = 2_000;
    private const string DashboardUser = "bench@example.com";
    private const double P95TargetMs = 2_000;
    private const int StatsCalls = 200;
    private static readonly TimeSpan EndSlack = TimeSpan.FromSeconds(10);

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
        foreach (var engine in context.Engines)
        {
            await RunOnAsync(context, engine, report, cancellationToken);
        }
    }

    private static async Task RunOnAsync(BenchContext context, string engineName, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var data = context.NewFolder("f-" + engineName);
        await using var engine = await SegmentEngine.CreateAsync(engineName, context, data, cancellationToken);
        var prefix = engineName + ".";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in (string[])[Slug, Calm, CalmLoaded])
        {
            keys[slug] = (await LinkTrackerCli.AddTenantAsync(context.Paths, data, slug, engine.Environment, cancellationToken)).ApiKey;
        }

        context.Log($"(f) {engine.Name}: creating links");
        await using (var setup = await Deployment.StartAsync(context, data, keys, engine.Settings, cancellationToken))
        {
            NewLink[] links = [.. Enumerable.Range(0, SegmentClicks.Links).Select(i => new NewLink(Figures.Destination, SegmentClicks.Code(i), SegmentClicks.Campaign(i)))];
            foreach (var slug in keys.Keys)
            {
                await setup[slug].CreateLinksAsync(links, cancellationToken);
            }

            await setup.StopAsync(report);
        }

        // Whole milliseconds: the clicks' instants are stored so on SQLite.
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        context.Log($"(f) {engine.Name}: bulk-loading {sizes.SegmentClicks:#,0} clicks ({sizes.SegmentRecipients:#,0} recipients) into the stopped tenant");
        var (clickSeconds, rollupSeconds) = await engine.BulkLoadAsync(
            Slug, SegmentClicks.Generate(Slug, sizes.SegmentClicks, sizes.SegmentRecipients, end), step => context.Log($"(f) {engine.Name}: {step}"), cancellationToken);
        var bytes = await engine.SizeAsync(Slug, cancellationToken);
        report.Figure(prefix + "load.clicks_seconds", clickSeconds);
        report.Figure(prefix + "load.rollups_seconds", rollupSeconds);
        report.Figure(prefix + "load.bytes", bytes);

        // The neighbour through the writer, and its twin through the bulk load: the load must leave what the writer leaves.
        context.Log($"(f) {engine.Name}: {CalmClicks:#,0} clicks for {Calm} through the writer's adapter, the same for {CalmLoaded} bulk-loaded; comparing");
        var writeSeconds = await engine.WriteAsync(Calm, SegmentClicks.Generate(Calm, CalmClicks, CalmRecipients, end, seed: 12), cancellationToken);
        await engine.BulkLoadAsync(CalmLoaded, SegmentClicks.Generate(CalmLoaded, CalmClicks, CalmRecipients, end, seed: 12), _ => { }, cancellationToken);
        await engine.CompareAsync(Calm, CalmLoaded, report, cancellationToken);
        report.Notes.Add($"{engine.Name}: {sizes.SegmentClicks:#,0} clicks over {SegmentClicks.Days} days on {SegmentClicks.Links:#,0} links in "
            + $"{SegmentClicks.Campaigns} campaigns, {sizes.SegmentRecipients:#,0} recipients, 10 % bots, 8 countries; bulk-loaded in one transaction in "
            + $"{clickSeconds:0} s (clicks) + {rollupSeconds:0} s (first_seen and rollups, set-based); the tenant's tables take {bytes / 1048576.0:#,0} MiB. "
            + $"Tenant {Calm} ({CalmClicks:#,0} clicks written through the writer's adapter in {writeSeconds:0.0} s) is the neighbour whose GET /api/stats is timed.");

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var user = await LinkTrackerCli.RunAsync(context.Paths, ["users", "add", "--tenant", Slug, "--email", DashboardUser, "--data", data], engine.Environment, password, cancellationToken);
        if (user.ExitCode != 0)
        {
            throw new InvalidOperationException($"linktracker users add exited {user.ExitCode}: {user.Error}");
        }

        await using (var service = await Deployment.StartAsync(context, data, keys, engine.Settings, cancellationToken))
        {
            var segments = await TypicalAsync(context, engine.Name, prefix, service[Slug], report, cancellationToken);
            await DashboardTiming.RunAsync(context, engine.Name, prefix, service.Server.Address, service[Slug].Host, DashboardUser, password, segments, report, cancellationToken);
            await RefusedAsync(context, engine.Name, prefix, service[Slug], report, cancellationToken);
            await service.StopAsync(report);
        }

        // The same data with the cost ceiling lifted: now only the statement limit stands between the tenant and the machine.
        // Shorter in --quick, where the whole table is small enough for the filter to finish within a longer limit.
        var limit = sizes.Mode == "quick" ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        string[] lifted = [.. engine.Settings, "Segments:MaxRowsPerRun=1000000000000", $"Segments:StatementTimeout={limit:c}"];
        await using (var service = await Deployment.StartAsync(context, data, keys, lifted, cancellationToken))
        {
            await NeighbourAsync(context, engine.Name, prefix, service[Slug], service[Calm], limit, report, cancellationToken);
            await service.StopAsync(report);
        }
    }

    /// <returns>The typical segments' ids.</returns>
    private static async Task<List<string>> TypicalAsync(BenchContext context, string engine, string prefix, TenantClient tenant, ScenarioReport report, CancellationToken cancellationToken)
    {
        var runs = context.Sizes.SegmentRuns;
        var ids = new List<string>();
        var table = new Table($"{engine}: {runs} runs each, one after another (POST .../runs, poll the status every 20 ms)",
            "Segment", "recipients", "rows read", "p50 ms", "p95 ms", "max ms", "server p50 ms", "failed runs");
        foreach (var (name, filter) in Typical)
        {
            context.Log($"(f) {engine}: {name}");
            var id = await CreateAsync(tenant, name, filter, cancellationToken);
            ids.Add(id);
            var wall = new List<double>();
            var server = new List<double>();
            JsonNode? completed = null;
            var failed = 0;
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var run = await RunToEndAsync(tenant, id, TimeSpan.FromMinutes(5), cancellationToken);
                // A failed run (e.g. stopped at the statement limit) counts with its time and fails the target; the rest still runs.
                wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                server.Add((long?)run["durationMs"] ?? 0);
                if ((string?)run["state"] == "completed")
                {
                    completed = run;
                }
                else
                {
                    failed++;
                    report.Notes.Add($"{engine}: a run of '{name}' ended {(string?)run["state"]} after {(long?)run["durationMs"]} ms: {(string?)run["error"]}");
                }
            }

            var key = prefix + Key(name);
            report.Figure($"{key}.p50_ms", Percentile(wall, 50));
            report.Figure($"{key}.p95_ms", Percentile(wall, 95));
            report.Figure($"{key}.failed_runs", failed);
            report.Figure($"{key}.recipients", (long?)completed?["recipients"] ?? -1);
            table.Add(name, (long?)completed?["recipients"], (long?)completed?["rowsRead"], Percentile(wall, 50), Percentile(wall, 95), wall.Max(), Percentile(server, 50), failed);
            report.Check($"{engine}: segment run p95: {name}", Percentile(wall, 95), "<=", P95TargetMs, " ms");
            report.Check($"{engine}: segment runs that did not complete: {name}", failed, "==", 0);
        }

        report.Tables.Add(table);
        return ids;
    }

    private static async Task RefusedAsync(BenchContext context, string engine, string prefix, TenantClient tenant, ScenarioReport report, CancellationToken cancellationToken)
    {
        context.Log($"(f) {engine}: the pathological segment at the default ceiling");
        var filter = Pathological();
        var preview = JsonNode.Parse((await tenant.PostRawAsync("/api/segments/preview", $$"""{"filter": {{filter}}}""", cancellationToken)).Body)!;
        var id = await CreateAsync(tenant, "pathological", filter, cancellationToken);
        var run = await tenant.PostRawAsync($"/api/segments/{id}/runs", "{}", cancellationToken);
        report.Figure(prefix + "pathological.estimated_rows", (long)preview["estimatedRows"]!);
        report.Figure(prefix + "pathological.max_rows_per_run", (long)preview["maxRowsPerRun"]!);
        report.Check($"{engine}: pathological segment refused by the cost ceiling (preview allowed=false, POST runs 422)",
            (bool)preview["allowed"]! || run.Status != HttpStatusCode.UnprocessableEntity ? 0 : 1, "==", 1);
        report.Notes.Add($"{engine}: pathological filter: any of {Nots} top-level nots, each `not clicks >= 2 on link fN`. Preview: {(long)preview["estimatedRows"]!:#,0} rows "
            + $"estimated against the ceiling of {(long)preview["maxRowsPerRun"]!:#,0}; POST .../runs answered {(int)run.Status}.");
    }

    private static async Task NeighbourAsync(
        BenchContext context, string engine, string prefix, TenantClient tenant, TenantClient calm, TimeSpan limit, ScenarioReport report, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var stats = string.Create(CultureInfo.InvariantCulture, $"/api/stats?from={now.AddDays(-30):yyyy-MM-ddTHH:mm:ssZ}&to={now:yyyy-MM-ddTHH:mm:ssZ}&granularity=day");
        for (var i = 0; i < 20; i++)
        {
            await calm.GetStringAsync(stats, cancellationToken);
        }

        context.Log($"(f) {engine}: the neighbour's stats, idle");
        var idle = await TimeStatsAsync(calm, stats, StatsCalls, () => false, cancellationToken);

        context.Log($"(f) {engine}: the pathological segment with the ceiling lifted (statement limit {limit.TotalSeconds:0} s), the neighbour's stats meanwhile");
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

        report.Figure(prefix + "neighbour.idle_p99_ms", idle.PercentileMs(99));
        report.Figure(prefix + "neighbour.during_p99_ms", during.PercentileMs(99));
        report.Figure(prefix + "neighbour.during_calls", during.Count);
        report.Figure(prefix + "pathological.seconds_to_end", seconds);
        var table = new Table($"{engine}: tenant {Calm}: GET /api/stats (30 days by day), sequential", "When", "calls", "p50 ms", "p99 ms", "max ms");
        table.Add("idle", idle.Count, idle.PercentileMs(50), idle.PercentileMs(99), idle.MaxMs);
        table.Add("during the pathological run", during.Count, during.PercentileMs(50), during.PercentileMs(99), during.MaxMs);
        report.Tables.Add(table);
        report.Check($"{engine}: pathological run stopped at its statement limit (state failed)", (string?)end!["state"] == "failed" ? 1 : 0, "==", 1);
        // "failed" alone also covers a run that something else stopped much later (e.g. the client's command timeout).
        report.Check($"{engine}: pathological run ended within its limit + {EndSlack.TotalSeconds:0} s (job pick-up, estimate)", seconds, "<=", (limit + EndSlack).TotalSeconds, " s");
        report.Check($"{engine}: neighbour stats p99 during it vs 2x idle p99 ({2 * idle.PercentileMs(99):0.0} ms)", during.PercentileMs(99), "<=", 2 * idle.PercentileMs(99), " ms");
        report.Notes.Add($"{engine}: with Segments:MaxRowsPerRun lifted and Segments:StatementTimeout={limit:c}, the pathological run ended "
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
