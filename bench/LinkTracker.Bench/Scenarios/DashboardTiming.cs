using System.Diagnostics;
using System.Globalization;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// Issue #14's row: dashboard pages on the (f) tenant's many clicks. A dashboard user (added with `linktracker users add`)
/// signs in through the real form, then each page is fetched sequentially (20 unmeasured first) and timed from send to
/// the whole body; p95 must stay under 200 ms. The pages read the rollups (and the link page its latest 20 clicks).
/// </summary>
public static class DashboardTiming
{
    private const double P95TargetMs = 200;
    private const int Warmup = 20;

    public static async Task RunAsync(
        BenchContext context, string engine, string prefix, Uri address, string host, string email, string password, IReadOnlyList<string> segments,
        ScenarioReport report, CancellationToken cancellationToken)
    {
        context.Log($"(f) {engine}: signing in to the dashboard and timing its pages");
        using var browser = new DashboardClient(address, host);
        await browser.SignInAsync(email, password, cancellationToken);
        (string Name, string Path)[] pages =
        [
            ("overview", "/dashboard"),
            ("links list", "/dashboard/links"),
            ("link page", "/dashboard/links/" + SegmentClicks.Code(1)),
            ("campaign page", "/dashboard?campaign=" + SegmentClicks.Campaign(3)),
            ("reports", "/dashboard/reports"),
            ("segments list", "/dashboard/segments"),
            ("segment page", "/dashboard/segments/" + segments[0]),
        ];
        var calls = context.Sizes.DashboardCalls;
        var table = new Table($"{engine}: dashboard pages, signed in as a viewer; {calls} sequential GETs each after {Warmup} unmeasured", "Page", "path", "bytes", "p50 ms", "p95 ms", "max ms");
        foreach (var (name, path) in pages)
        {
            var bytes = 0;
            for (var i = 0; i < Warmup; i++)
            {
                bytes = (await browser.GetAsync(path, cancellationToken)).Length;
            }

            var latency = new LatencyHistogram();
            for (var i = 0; i < calls; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await browser.GetAsync(path, cancellationToken);
                latency.RecordTimestamps(started, Stopwatch.GetTimestamp());
            }

            var key = prefix + "dashboard." + name.Replace(' ', '_');
            report.Figure(key + ".p50_ms", latency.PercentileMs(50));
            report.Figure(key + ".p95_ms", latency.PercentileMs(95));
            table.Add(name, path, bytes.ToString("#,0", CultureInfo.InvariantCulture), latency.PercentileMs(50), latency.PercentileMs(95), latency.MaxMs);
            report.Check($"{engine}: dashboard {name} p95", latency.PercentileMs(95), "<", P95TargetMs, " ms");
        }

        report.Tables.Add(table);
    }
}
