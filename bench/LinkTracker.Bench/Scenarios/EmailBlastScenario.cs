using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (b) One tenant's email blast (80 % of the clicks in the first fifth of the run, every recipient distinct)
/// while two small tenants click steadily: the write cap holds, the small tenants' stats stay fresh, the
/// blast drains as fast as the cap allows, and no click is lost or counted twice.
/// </summary>
public sealed class EmailBlastScenario : IScenario
{
    private const int Cap = 20;
    private const int BatchSize = 1000;
    private const int Connections = 64;
    private const string Campaign = "spring-blast";
    private const double VisibilityTargetSeconds = 2;
    private const double DrainRatioTarget = 1.5;
    private const double MinimumDrainTargetSeconds = 2;

    public string Id => "b";

    public string Title => "Email blast: one tenant's burst, two small tenants clicking steadily";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        string[] small = ["steady-a", "steady-b"];
        context.Log("(b) starting linktracker");
        await using var service = await Deployment.StartAsync(
            context, "b", ["blast", .. small], [$"Writer:MaxTransactionsPerSecond={Cap}", $"Writer:BatchSize={BatchSize}"], cancellationToken);
        var blastCodes = Enumerable.Range(0, sizes.BlastLinks).Select(i => $"b{i}").ToArray();
        var created = Stopwatch.GetTimestamp();
        await service["blast"].CreateLinksAsync([.. blastCodes.Select(c => new NewLink(Figures.Destination, c, Campaign))], cancellationToken);
        report.Figure("blast.link_batch_seconds", Stopwatch.GetElapsedTime(created).TotalSeconds);
        var smallCodes = Enumerable.Range(0, 10).Select(i => $"s{i}").ToArray();
        foreach (var slug in small)
        {
            await service[slug].CreateLinksAsync([.. smallCodes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
        }

        var steady = small.Select(slug => new SteadyTenant(service.Server.Address, service[slug], smallCodes, sizes.SteadyClicksPerSecond)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var startUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timeline = new WriterTimeline();
        var sampling = timeline.RunAsync(service.Ops, start, "blast", stop.Token);
        var steadyRuns = steady.Select(t => t.RunAsync(stop.Token)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var n = sizes.BlastClicks;
        var schedule = new BlastSchedule(n, sizes.BlastTime);
        var (burst, first) = (schedule.Burst, schedule.First);
        context.Log($"(b) blast: {n:#,0} clicks over {sizes.BlastTime.TotalSeconds:0} s ({burst:#,0} in the first {first.TotalSeconds:0.#} s), 2 tenants at {sizes.SteadyClicksPerSecond}/s");
        var ledger = new RecipientLedger("blast-");
        var blastStart = Stopwatch.GetTimestamp();
        var blastStartUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var load = new LoadGenerator(service.Server.Address, service["blast"].Host, Connections);
        var run = await load.RunPacedAsync("blast", ledger, (i, _) => blastCodes[i % blastCodes.Length], schedule.DueOf, n, sizes.BlastTime * 4, service.Server, cancellationToken);
        var sentSeconds = Stopwatch.GetElapsedTime(blastStart).TotalSeconds;
        var (_, drained) = await service.Ops.WaitForDrainAsync(0, TimeSpan.FromMinutes(5), cancellationToken, tenant: "blast");
        var drainSeconds = Stopwatch.GetElapsedTime(blastStart).TotalSeconds;
        var drainedAt = Stopwatch.GetElapsedTime(start).TotalSeconds;
        context.Log($"(b) blast sent in {sentSeconds:0.0} s, written {drainSeconds:0.0} s after its start");

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(steadyRuns);
        await sampling;
        var acknowledged = ledger.Acknowledged + steady.Sum(t => t.Ledger.Acknowledged);
        await service.Ops.WaitForDrainAsync(acknowledged, TimeSpan.FromMinutes(2), cancellationToken);

        context.Log("(b) auditing");
        List<Integrity> audits = [await ClickAudit.ByListingAsync(service["blast"], blastCodes, ledger, cancellationToken)];
        foreach (var tenant in steady)
        {
            audits.Add(await ClickAudit.ByListingAsync(service[tenant.Slug], tenant.Codes, tenant.Ledger, cancellationToken));
        }

        var status = await service.Ops.GetWriterAsync(cancellationToken);
        report.Integrity.AddRange(audits);
        report.Integrity.Add(ClickAudit.Combined("all 3 tenants (one server)", audits, WriterCounts.Of(status)));
        report.Figure("writer.captured", status.Captured);
        report.Figure("writer.capture_failures", status.CaptureFailures);
        report.Figure("writer.rows_inserted", status.RowsInserted);
        report.Figure("writer.write_failures", status.WriteFailures);
        report.Figure("writer.duplicates", status.Duplicates);
        await service.StopAsync(report);

        Figures.Add(report, "blast.redirects", run);
        Report(report, sizes, run, timeline, steady, startUnix, blastStartUnix, sentSeconds, drained ? drainSeconds : double.NaN, drained ? drainedAt : double.NaN);
    }

    private static void Report(
        ScenarioReport report, Sizes sizes, LoadRun run, WriterTimeline timeline, SteadyTenant[] steady, long startUnix, long blastStartUnix,
        double sentSeconds, double drainSeconds, double drainedAt)
    {
        var seconds = timeline.Seconds.Where(s => s.Second.ToUnixTimeSeconds() >= startUnix).ToList();
        var maxTransactions = seconds.Count == 0 ? 0 : seconds.Max(s => s.Transactions);
        var maxRows = seconds.Count == 0 ? 0 : seconds.Max(s => s.RowsInserted);
        var implied = (double)sizes.BlastClicks / (Cap * BatchSize);
        var samples = timeline.Samples;
        var peak = samples.Count == 0 ? null : samples.MaxBy(s => s.TenantDepth);
        // From the peak reading to the first reading at a tenth of it or less (readings are a second apart),
        // so the blast's slow tail, which the writer keeps up with, does not count as backlog.
        var drained = peak is null ? null : samples.FirstOrDefault(s => s.At > peak.At && s.TenantDepth <= peak.TenantDepth / 10);
        var backlogSeconds = peak is null ? double.NaN : drained is not null ? drained.At - peak.At : drainedAt - peak.At;
        var backlogImplied = peak is null ? double.NaN : (double)peak.TenantDepth / (Cap * BatchSize);
        var backlogTarget = Math.Max(MinimumDrainTargetSeconds, DrainRatioTarget * backlogImplied);
        var delays = steady.SelectMany(t => t.VisibilityDelays).Order().ToList();
        var maxDelay = delays.Count == 0 ? double.NaN : delays[^1];
        var neverVisible = steady.Sum(t => t.NeverVisible);

        report.Notes.Add($"Writer cap {Cap} transactions/s, batch {BatchSize:#,0}: at most {Cap * BatchSize:#,0} clicks/s reach the tenant databases.");
        report.Notes.Add($"Blast: {sizes.BlastClicks:#,0} clicks on {sizes.BlastLinks:#,0} links of one campaign, {Connections} connections, "
            + $"paced (80 % in the first {sizes.BlastTime.TotalSeconds / 5:0.#} s of {sizes.BlastTime.TotalSeconds:0} s); latency counts from each click's due time.");
        report.Notes.Add($"Small tenants: {sizes.SteadyClicksPerSecond} clicks each second each, their /api/stats polled every 100 ms until the batch shows.");

        var summary = new Table("Blast", "Figure", "Value");
        summary.Add("Redirects sent in, s (planned)", $"{ScenarioReport.Format(sentSeconds)} ({ScenarioReport.Format(sizes.BlastTime.TotalSeconds)})");
        summary.Add("Redirect p50 / p99 / max, ms", $"{ScenarioReport.Format(run.Latency.PercentileMs(50))} / {ScenarioReport.Format(run.Latency.PercentileMs(99))} / {ScenarioReport.Format(run.Latency.MaxMs)}");
        summary.Add("Redirect p99 service time, ms", run.ServiceTime.PercentileMs(99));
        summary.Add("Non-302 responses and errors", run.Unexpected(302));
        summary.Add("All blast clicks written, s after the blast began", drainSeconds);
        summary.Add("Time the cap implies for all clicks (clicks / (cap x batch)), s", implied);
        summary.Add("Peak journal depth (blast)", peak?.TenantDepth ?? 0);
        summary.Add("Backlog: peak to a tenth of it, s (readings 1 s apart)", backlogSeconds);
        summary.Add("Backlog: time the cap implies for the peak, s", backlogImplied);
        summary.Add("Peak lag, s", samples.Count == 0 ? 0 : samples.Max(s => s.LagSeconds));
        summary.Add("Max write transactions in one second (cap)", $"{maxTransactions} ({Cap})");
        summary.Add("Seconds at the cap", seconds.Count(s => s.Transactions >= Cap));
        summary.Add("Max clicks written in one second (cap x batch)", $"{ScenarioReport.Format(maxRows)} ({ScenarioReport.Format(Cap * BatchSize)})");
        report.Tables.Add(summary);

        var small = new Table("Small tenants", "Tenant", "Batches", "Visible p50, s", "Visible max, s", "Never visible", "Redirect p99 ms", "Non-302");
        foreach (var t in steady)
        {
            var d = t.VisibilityDelays.Order().ToList();
            small.Add(t.Slug, d.Count, d.Count == 0 ? double.NaN : d[d.Count / 2], d.Count == 0 ? double.NaN : d[^1], t.NeverVisible, t.Redirects.PercentileMs(99), t.Unexpected);
            report.Figure($"{t.Slug}.visibility_max_seconds", d.Count == 0 ? double.NaN : d[^1]);
            report.Figure($"{t.Slug}.redirect_p99_ms", t.Redirects.PercentileMs(99));
        }

        report.Tables.Add(small);
        report.Tables.Add(TimelineTable(seconds, samples, blastStartUnix));
        report.Series["writerSeconds"] = seconds;
        report.Series["writerSamples"] = samples;
        report.Series["visibilityDelays"] = delays;

        report.Figure("blast.sent_seconds", sentSeconds);
        report.Figure("blast.drain_seconds", drainSeconds);
        report.Figure("blast.cap_implied_seconds", implied);
        report.Figure("blast.backlog_peak", peak?.TenantDepth ?? 0);
        report.Figure("blast.backlog_drain_seconds", backlogSeconds);
        report.Figure("blast.backlog_implied_seconds", backlogImplied);
        report.Figure("blast.backlog_drain_ratio", backlogSeconds / backlogImplied);
        report.Figure("writer.max_transactions_per_second", maxTransactions);
        report.Figure("writer.max_rows_per_second", maxRows);
        report.Figure("small.visibility_max_seconds", maxDelay);
        report.Figure("small.never_visible", neverVisible);

        report.Check("Write transactions in any second", maxTransactions, "<=", Cap);
        report.Check("Small tenants: clicks visible in /api/stats within", double.IsNaN(maxDelay) || neverVisible > 0 ? double.PositiveInfinity : maxDelay, "<=", VisibilityTargetSeconds, " s");
        report.Check($"Blast backlog drain (peak {peak?.TenantDepth ?? 0:#,0}; {DrainRatioTarget} x the cap's time, at least {MinimumDrainTargetSeconds} s)", backlogSeconds, "<=", backlogTarget, " s");
        report.Check("Blast: non-302 responses and errors", run.Unexpected(302), "==", 0);
    }

    private static Table TimelineTable(List<WriterSecond> seconds, List<WriterTimeline.Sample> samples, long blastStartUnix)
    {
        var table = new Table("Second by second (t from the blast's start; depth and lag as read at that second)", "t, s", "Transactions", "Clicks written", "Journal depth (blast)", "Lag, s");
        var step = Math.Max(1, seconds.Count / 60);
        for (var i = 0; i < seconds.Count; i += step)
        {
            var s = seconds[i];
            var unix = s.Second.ToUnixTimeSeconds();
            var sample = samples.FirstOrDefault(x => x.UnixSecond == unix);
            table.Add(unix - blastStartUnix, s.Transactions, s.RowsInserted, sample is null ? "" : ScenarioReport.Format(sample.TenantDepth),
                sample is null ? "" : ScenarioReport.Format(sample.LagSeconds));
        }

        return table;
    }
}
