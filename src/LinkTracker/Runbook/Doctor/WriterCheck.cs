using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>
/// The writer at its cap (throttled on purpose, clicks wait) versus failing (a tenant's writes throw). The cap is the
/// write budget's: this process's own seconds when the budget is the process's, the database's grants to all its
/// writers when it is shared (ADR 22) — each of N workers then uses about 1/N of it, so its own counters never show the cap.
/// </summary>
public sealed class WriterCheck(
    ClickMetrics metrics, PendingClicks pending, TenantActivity activity, IServiceProvider services, IOptions<WriterOptions> writer, IOptions<DoctorOptions> options)
    : IDoctorCheck
{
    /// <summary>
    /// The share of a shared budget that counts as spent: a waiting writer retries a timer tick after the slot it was told
    /// of, so writers that contend for every slot are granted a little under the cap in a second.
    /// </summary>
    public const double SharedSpentShare = 0.9;

    public string Name => "writer";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var problems = new List<DoctorProblem>();
        foreach (var (tenant, failures) in activity.ByTenant(TenantActivityKind.WriterFailures).OrderByDescending(f => f.Value))
        {
            problems.Add(new DoctorProblem(Name, DoctorSeverity.Action,
                $"Writing the clicks of tenant {tenant} fails: they wait while the writer retries with a growing delay.",
                $"{failures} failed write transactions in {DoctorText.Window}; {pending.For(tenant)} clicks of {tenant} wait in this node's journal; writeFailures since start {metrics.WriteFailures}.",
                RunbookSections.WriterFailing, tenant));
        }

        var waiting = pending.Total;
        if (waiting > 0 && (services.GetService<IWriteBudget>() is { Scope: WriteBudgetScope.Database } budget
                ? await DatabaseAtCapAsync(budget, waiting, cancellationToken)
                : ProcessAtCap(waiting)) is { } atCap)
        {
            problems.Add(atCap);
        }

        return problems;
    }

    private DoctorProblem? ProcessAtCap(long waiting)
    {
        var cap = writer.Value.MaxTransactionsPerSecond;
        var seconds = (int)options.Value.WriterCapWindow.TotalSeconds;
        var recent = metrics.RecentSeconds();
        var window = recent.Skip(recent.Count - 1 - seconds).Take(seconds).ToList(); // the current second is still running
        if (window.Count != seconds || !window.All(s => s.Transactions >= cap))
        {
            return null;
        }

        var rowsPerSecond = window.Average(s => (double)s.RowsInserted);
        return AtCap($"{cap} transactions/s (Writer:MaxTransactionsPerSecond) reached in each of the last {seconds} s", rowsPerSecond, waiting);
    }

    /// <summary>The database's last full second: all its writers together were granted (nearly) the whole budget.</summary>
    private async Task<DoctorProblem?> DatabaseAtCapAsync(IWriteBudget budget, long waiting, CancellationToken cancellationToken)
    {
        var cap = writer.Value.MaxTransactionsPerSecond;
        WriteBudgetUse? use;
        try
        {
            use = await budget.ReadSharedUseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null; // the database check reports a database that cannot answer
        }

        if (use is null || use.LastSecond < Math.Ceiling(cap * SharedSpentShare))
        {
            return null;
        }

        var seconds = (int)options.Value.WriterCapWindow.TotalSeconds;
        var recent = metrics.RecentSeconds();
        var rowsPerSecond = recent.Skip(Math.Max(0, recent.Count - 1 - seconds)).Take(seconds).Select(s => (double)s.RowsInserted).DefaultIfEmpty(0).Average();
        return AtCap($"the database's budget of {cap} transactions/s (Writer:MaxTransactionsPerSecond, shared by all its writers) "
            + $"was spent in the last second: {use.LastSecond} granted, {metrics.RecentSeconds()[^2].Transactions} of them to this writer", rowsPerSecond, waiting);
    }

    private DoctorProblem AtCap(string reached, double rowsPerSecond, long waiting)
    {
        var drain = rowsPerSecond > 0
            ? $"at {DoctorText.Number(rowsPerSecond)} clicks/s this writer drains its backlog in about {DoctorText.Seconds(waiting / rowsPerSecond)}"
            : "nothing was stored meanwhile";
        return new DoctorProblem(Name, DoctorSeverity.Warning,
            "The writer runs at its cap: clicks are throttled on purpose and wait (lag), they are not failing.",
            $"{reached}, batch size {writer.Value.BatchSize}; {waiting} clicks wait; {drain}.",
            RunbookSections.WriterAtCap);
    }
}
