using LinkTracker.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>The writer at its cap (throttled on purpose, clicks wait) versus failing (a tenant's writes throw).</summary>
public sealed class WriterCheck(ClickMetrics metrics, PendingClicks pending, TenantActivity activity, IOptions<WriterOptions> writer, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "writer";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var problems = new List<DoctorProblem>();
        foreach (var (tenant, failures) in activity.ByTenant(TenantActivityKind.WriterFailures).OrderByDescending(f => f.Value))
        {
            problems.Add(new DoctorProblem(Name, DoctorSeverity.Action,
                $"Writing the clicks of tenant {tenant} fails: they wait while the writer retries with a growing delay.",
                $"{failures} failed write transactions in {DoctorText.Window}; {pending.For(tenant)} clicks of {tenant} wait in this node's journal; writeFailures since start {metrics.WriteFailures}.",
                RunbookSections.WriterFailing, tenant));
        }

        var cap = writer.Value.MaxTransactionsPerSecond;
        var seconds = (int)options.Value.WriterCapWindow.TotalSeconds;
        var recent = metrics.RecentSeconds();
        var window = recent.Skip(recent.Count - 1 - seconds).Take(seconds).ToList(); // the current second is still running
        var waiting = pending.Total;
        if (waiting > 0 && window.Count == seconds && window.All(s => s.Transactions >= cap))
        {
            var rowsPerSecond = window.Average(s => (double)s.RowsInserted);
            var drain = rowsPerSecond > 0 ? $"at {DoctorText.Number(rowsPerSecond)} clicks/s the backlog drains in about {DoctorText.Seconds(waiting / rowsPerSecond)}" : "nothing was stored meanwhile";
            problems.Add(new DoctorProblem(Name, DoctorSeverity.Warning,
                "The writer runs at its cap: clicks are throttled on purpose and wait (lag), they are not failing.",
                $"{cap} transactions/s (Writer:MaxTransactionsPerSecond) reached in each of the last {seconds} s, batch size {writer.Value.BatchSize}; {waiting} clicks wait; {drain}.",
                RunbookSections.WriterAtCap));
        }

        return Task.FromResult<IReadOnlyList<DoctorProblem>>(problems);
    }
}
