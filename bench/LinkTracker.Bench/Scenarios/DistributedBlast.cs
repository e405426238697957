using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (e), part (b): the email blast through the edges while two small tenants click steadily. The worker's /ops/writer
/// gives the write transactions per second; PostgreSQL gives what is stored (sampled every half second, and audited
/// row by row at the end); the small tenants read their stats through the api node.
/// </summary>
public static class DistributedBlast
{
    public const string Tenant = "blast";
    private const int Connections = 64;
    private const string Campaign = "spring-blast";
    private const double VisibilityTargetSeconds = 2;

    public static IReadOnlyList<string> SmallTenants { get; } = ["steady-a", "steady-b"];

    private sealed record Backlog(double At, long UnixSecond, long Acknowledged, long Stored, long EdgeJournals);

    /// <returns>Each tenant's ledger, for the audit once everything is written.</returns>
    public static async Task<IReadOnlyList<(string Tenant, RecipientLedger Ledger)>> RunAsync(
        BenchContext context, Cluster cluster, List<ServerProcess> edges, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var blastCodes = Enumerable.Range(0, sizes.BlastLinks).Select(i => $"b{i}").ToArray();
        await cluster[Tenant].CreateLinksAsync([.. blastCodes.Select(c => new NewLink(Figures.Destination, c, Campaign))], cancellationToken);
        var smallCodes = Enumerable.Range(0, 10).Select(i => $"s{i}").ToArray();
        foreach (var slug in SmallTenants)
        {
            await cluster[slug].CreateLinksAsync([.. smallCodes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
        }

        var steady = SmallTenants.Select((slug, i) => new SteadyTenant(edges[i % edges.Count].Address, cluster[slug], smallCodes, sizes.SteadyClicksPerSecond)).ToArray();
        var ledger = new RecipientLedger("e-blast-");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var startUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timeline = new WriterTimeline();
        var sampling = timeline.RunAsync(cluster.WorkerOps, start, Tenant, stop.Token);
        var backlog = new List<Backlog>();
        var storing = SampleBacklogAsync(cluster, ledger, start, backlog, stop.Token);
        var steadyRuns = steady.Select(t => t.RunAsync(stop.Token)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var n = sizes.BlastClicks;
        var schedule = new BlastSchedule(n, sizes.BlastTime);
        var (burst, first) = (schedule.Burst, schedule.First);
        context.Log($"(e) blast through {edges.Count} edge(s): {n:#,0} clicks over {sizes.BlastTime.TotalSeconds:0} s ({burst:#,0} in the first {first.TotalSeconds:0.#} s)");
        var blastStart = Stopwatch.GetTimestamp();
        var blastStartUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var before = cluster.ReadCpu(null);
        using var load = new LoadGenerator(Cluster.Targets(edges, Tenant), Connections);
        var run = await load.RunPacedAsync("blast", ledger, (i, _) => blastCodes[i % blastCodes.Length], schedule.DueOf, n, sizes.BlastTime * 4, null, cancellationToken);
        DistributedScenario.AddCores(report, "blast.redirects", run, before, cluster.ReadCpu(null));
        var sentSeconds = Stopwatch.GetElapsedTime(blastStart).TotalSeconds;
        var waited = await cluster.WaitStoredAsync(Tenant, ledger.Acknowledged, TimeSpan.FromMinutes(5), cancellationToken);
        var storedSeconds = double.IsNaN(waited) ? double.NaN : Stopwatch.GetElapsedTime(blastStart).TotalSeconds;
        context.Log($"(e) blast sent in {sentSeconds:0.0} s, stored in PostgreSQL {storedSeconds:0.0} s after its start");

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(steadyRuns);
        await Task.WhenAll(sampling, storing);
        foreach (var t in steady)
        {
            await cluster.WaitStoredAsync(t.Slug, t.Ledger.Acknowledged, TimeSpan.FromMinutes(2), cancellationToken);
        }

        Figures.Add(report, "blast.redirects", run);
        Report(report, sizes, run, timeline, backlog, steady, startUnix, blastStartUnix, sentSeconds, storedSeconds, edges.Count);
        return [(Tenant, ledger), .. steady.Select(t => (t.Slug, t.Ledger))];
    }

    /// <summary>Every half second: clicks acknowledged so far, rows in PostgreSQL, clicks still in the edges' journals.</summary>
    private static async Task SampleBacklogAsync(Cluster cluster, RecipientLedger ledger, long start, List<Backlog> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            do
            {
                var acknowledged = ledger.Acknowledged;
                var stored = await cluster.Database.CountClicksAsync(Tenant, stop);
                var journals = (await Task.WhenAll(cluster.EdgeOps.Select(o => o.GetWriterAsync(stop)))).Sum(s => s.PendingByTenant.GetValueOrDefault(Tenant));
                samples.Add(new Backlog(Stopwatch.GetElapsedTime(start).TotalSeconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), acknowledged, stored, journals));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private static void Report(
        ScenarioReport report, Sizes sizes, LoadRun run, WriterTimeline timeline, List<Backlog> backlog, SteadyTenant[] steady, long startUnix,
        long blastStartUnix, double sentSeconds, double storedSeconds, int edges)
    {
        const int Cap = DistributedScenario.Cap;
        const int Batch = DistributedScenario.BatchSize;
        var seconds = timeline.Seconds.Where(s => s.Second.ToUnixTimeSeconds() >= startUnix).ToList();
        var maxTransactions = seconds.Count == 0 ? 0 : seconds.Max(s => s.Transactions);
        var maxRows = seconds.Count == 0 ? 0 : seconds.Max(s => s.RowsInserted);
        var implied = (double)sizes.BlastClicks / (Cap * Batch);
        var peak = backlog.MaxBy(b => b.Acknowledged - b.Stored);
        var peakDepth = peak is null ? 0 : peak.Acknowledged - peak.Stored;
        var tenth = peak is null ? null : backlog.FirstOrDefault(b => b.At > peak.At && b.Acknowledged - b.Stored <= peakDepth / 10);
        var backlogSeconds = tenth is null || peak is null ? double.NaN : tenth.At - peak.At;
        var delays = steady.SelectMany(t => t.VisibilityDelays).Order().ToList();
        var maxDelay = delays.Count == 0 ? double.NaN : delays[^1];
        var neverVisible = steady.Sum(t => t.NeverVisible);

        report.Notes.Add($"(b): {sizes.BlastClicks:#,0} clicks on {sizes.BlastLinks:#,0} links of one campaign through {edges} edge(s), {Connections} connections, paced "
            + $"(80 % in the first {sizes.BlastTime.TotalSeconds / 5:0.#} s of {sizes.BlastTime.TotalSeconds:0} s); two small tenants at {sizes.SteadyClicksPerSecond} clicks/s "
            + "each through the edges, their /api/stats read on the api node every 100 ms until each second's batch shows.");

        var summary = new Table("(b) on the deployment: blast", "Figure", "Value");
        summary.Add("Redirects sent in, s (planned)", $"{ScenarioReport.Format(sentSeconds)} ({ScenarioReport.Format(sizes.BlastTime.TotalSeconds)})");
        summary.Add("Redirect p50 / p99 / max, ms", $"{ScenarioReport.Format(run.Latency.PercentileMs(50))} / {ScenarioReport.Format(run.Latency.PercentileMs(99))} / {ScenarioReport.Format(run.Latency.MaxMs)}");
        summary.Add("Redirect p99 service time, ms", run.ServiceTime.PercentileMs(99));
        summary.Add("Non-302 responses and errors", run.Unexpected(302));
        summary.Add("Not sent within the time limit (4 x planned)", run.NotSent);
        summary.Add("Redirects per second offered in the first fifth (then)", $"{ScenarioReport.Format(sizes.BlastClicks * 0.8 / (sizes.BlastTime.TotalSeconds / 5))} ({ScenarioReport.Format(sizes.BlastClicks * 0.2 / (sizes.BlastTime.TotalSeconds * 0.8))})");
        summary.Add("All blast clicks in PostgreSQL, s after the blast began", storedSeconds);
        summary.Add("Time the cap implies for all clicks (clicks / (cap x batch)), s", implied);
        summary.Add("Peak backlog (acknowledged − stored; edges, RabbitMQ, worker)", peakDepth);
        summary.Add("Backlog: peak to a tenth of it, s (samples 0.5 s apart)", backlogSeconds);
        summary.Add("Max write transactions in one second, worker (cap)", $"{maxTransactions} ({Cap})");
        summary.Add("Seconds at the cap", seconds.Count(s => s.Transactions >= Cap));
        summary.Add("Max clicks written in one second (cap x batch)", $"{ScenarioReport.Format(maxRows)} ({ScenarioReport.Format(Cap * Batch)})");
        summary.Add("Cores during the blast: edges; api / worker; PostgreSQL / RabbitMQ / Redis; client; other",
            $"{ScenarioReport.Format(report.Figures["blast.redirects.edge_cores"])}; {DistributedScenario.Split(report, "blast.redirects", "api", "worker")}; "
            + $"{DistributedScenario.Split(report, "blast.redirects", "postgres", "rabbitmq", "redis")}; {ScenarioReport.Format(run.ClientCores)}; "
            + ScenarioReport.Format(report.Figures["blast.redirects.other_cores"]));
        report.Tables.Add(summary);

        var small = new Table("(b) on the deployment: small tenants", "Tenant", "Batches", "Visible p50, s", "Visible max, s", "Never visible", "Redirect p99 ms", "Non-302");
        foreach (var t in steady)
        {
            var d = t.VisibilityDelays.Order().ToList();
            small.Add(t.Slug, d.Count, d.Count == 0 ? double.NaN : d[d.Count / 2], d.Count == 0 ? double.NaN : d[^1], t.NeverVisible, t.Redirects.PercentileMs(99), t.Unexpected);
            report.Figure($"{t.Slug}.visibility_max_seconds", d.Count == 0 ? double.NaN : d[^1]);
            report.Figure($"{t.Slug}.visibility_p50_seconds", d.Count == 0 ? double.NaN : d[d.Count / 2]);
            report.Figure($"{t.Slug}.redirect_p99_ms", t.Redirects.PercentileMs(99));
        }

        report.Tables.Add(small);
        var table = new Table("(b) second by second (t from the blast's start)", "t, s", "Transactions", "Clicks written", "Backlog", "In edge journals");
        var step = Math.Max(1, seconds.Count / 60);
        for (var i = 0; i < seconds.Count; i += step)
        {
            var s = seconds[i];
            var unix = s.Second.ToUnixTimeSeconds();
            var sample = backlog.LastOrDefault(b => b.UnixSecond == unix);
            table.Add(unix - blastStartUnix, s.Transactions, s.RowsInserted, sample is null ? "" : ScenarioReport.Format(sample.Acknowledged - sample.Stored),
                sample is null ? "" : ScenarioReport.Format(sample.EdgeJournals));
        }

        report.Tables.Add(table);
        report.Series["blastWriterSeconds"] = seconds;
        report.Series["blastBacklog"] = backlog;
        report.Series["visibilityDelays"] = delays;

        report.Figure("blast.sent_seconds", sentSeconds);
        report.Figure("blast.stored_seconds", storedSeconds);
        report.Figure("blast.cap_implied_seconds", implied);
        report.Figure("blast.backlog_peak", peakDepth);
        report.Figure("blast.backlog_drain_seconds", backlogSeconds);
        report.Figure("writer.max_transactions_per_second", maxTransactions);
        report.Figure("writer.max_rows_per_second", maxRows);
        report.Figure("small.visibility_max_seconds", maxDelay);
        report.Figure("small.never_visible", neverVisible);

        report.Check("(b) write transactions in any second (worker)", maxTransactions, "<=", Cap);
        report.Check("(b) small tenants: clicks visible in /api/stats (api node) within", double.IsNaN(maxDelay) || neverVisible > 0 ? double.PositiveInfinity : maxDelay, "<=", VisibilityTargetSeconds, " s");
        report.Check("(b) blast: non-302 responses and errors", run.Unexpected(302), "==", 0);
    }
}
