using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (f)'s segments through the API: create one, run it to its end (POST .../runs, poll the status every 20 ms), and time a
/// segment's runs one after another into figures and a table row.
/// </summary>
public static class SegmentTiming
{
    /// <param name="Id">The segment created.</param>
    /// <param name="P95Ms">Wall time from POST to the end, failed runs included.</param>
    /// <param name="Failed">Runs that did not complete.</param>
    public sealed record Times(string Id, double P95Ms, int Failed);

    /// <summary>The columns every table of timed segments has.</summary>
    public static Table NewTable(string title) =>
        new(title, "Segment", "recipients", "rows read", "first run ms (not in p50/p95)", "p50 ms", "p95 ms", "max ms", "server p50 ms", "failed runs");

    /// <summary>
    /// Creates the segment, runs it once unmeasured (a shape's first run after the service started took up to 2 × the
    /// others on PostgreSQL in session 22's full run, cause not established; reported as `{key}.first_run_ms`), then
    /// <see cref="Sizes.SegmentRuns"/> times; figures `{key}.p50_ms`, `.p95_ms`, `.failed_runs`, `.recipients` and a row in
    /// <paramref name="table"/> (from <see cref="NewTable"/>). The targets are the caller's.
    /// </summary>
    public static async Task<Times> TimeAsync(
        BenchContext context, string engine, TenantClient tenant, string name, string filter, string key, Table table, ScenarioReport report, CancellationToken cancellationToken)
    {
        var id = await CreateAsync(tenant, name, filter, cancellationToken);
        var wall = new List<double>();
        var server = new List<double>();
        JsonNode? completed = null;
        var failed = 0;
        var first = 0.0;
        for (var i = -1; i < context.Sizes.SegmentRuns; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var run = await RunToEndAsync(tenant, id, TimeSpan.FromMinutes(5), cancellationToken);
            // A failed run (e.g. stopped at the statement limit) counts with its time and fails the target; the rest still runs.
            if (i < 0)
            {
                first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            else
            {
                wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                server.Add((long?)run["durationMs"] ?? 0);
            }

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

        var p95 = Percentile(wall, 95);
        // Each run's wall and server time: a slow run whose server time is slow too was slow in the query, else in the
        // job's pick-up or the status polls (the p95 of five runs is their slowest).
        report.Notes.Add($"{engine}: '{name}' runs, wall / server ms: "
            + string.Join(", ", wall.Zip(server, (w, s) => $"{w:F0} / {s:F0}")));
        report.Figure($"{key}.first_run_ms", first);
        report.Figure($"{key}.p50_ms", Percentile(wall, 50));
        report.Figure($"{key}.p95_ms", p95);
        report.Figure($"{key}.failed_runs", failed);
        report.Figure($"{key}.recipients", (long?)completed?["recipients"] ?? -1);
        table.Add(name, (long?)completed?["recipients"], (long?)completed?["rowsRead"], first, Percentile(wall, 50), p95, wall.Max(), Percentile(server, 50), failed);
        return new Times(id, p95, failed);
    }

    public static async Task<string> CreateAsync(TenantClient tenant, string name, string filter, CancellationToken cancellationToken)
    {
        var created = await tenant.PostRawAsync("/api/segments", $$"""{"name": "{{name}}", "filter": {{filter}}}""", cancellationToken);
        return created.Status == HttpStatusCode.Created
            ? (string)JsonNode.Parse(created.Body)!["id"]!
            : throw new InvalidOperationException($"creating segment '{name}': {(int)created.Status} {created.Body}");
    }

    public static async Task<JsonNode> RunToEndAsync(TenantClient tenant, string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var post = await tenant.PostRawAsync($"/api/segments/{id}/runs", "{}", cancellationToken);
        return post.Status == HttpStatusCode.Accepted
            ? await PollAsync(tenant, (string)JsonNode.Parse(post.Body)!["statusUrl"]!, timeout, cancellationToken)
            : throw new InvalidOperationException($"running segment {id}: {(int)post.Status} {post.Body}");
    }

    /// <summary>Polls the run's status until it is completed or failed, within the timeout.</summary>
    public static async Task<JsonNode> PollAsync(TenantClient tenant, string status, TimeSpan timeout, CancellationToken cancellationToken)
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

    /// <summary>A segment's name as a figure key: its letters and digits, lower case.</summary>
    public static string Key(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).Take(30)]);

    private static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
