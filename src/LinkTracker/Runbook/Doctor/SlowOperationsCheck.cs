using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Slow operations in the window, one problem per tenant and kind, with the slowest one's shape.</summary>
public sealed class SlowOperationsCheck(SlowLog log, TimeProvider time) : IDoctorCheck
{
    public string Name => "slow-operations";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var recent = log.Recent(since: time.GetUtcNow() - TenantActivity.Window);
        return Task.FromResult<IReadOnlyList<DoctorProblem>>([.. recent
            .GroupBy(o => (o.Tenant, o.Kind))
            .OrderByDescending(g => g.Count())
            .Select(g =>
            {
                var slowest = g.MaxBy(o => o.DurationMs)!;
                var kind = g.Key.Kind.ToString().ToLowerInvariant();
                return new DoctorProblem(Name, DoctorSeverity.Warning,
                    $"Tenant {g.Key.Tenant} has slow {kind} operations.",
                    $"{g.Count()} slow {kind} operation(s) in {DoctorText.Window}; slowest {DoctorText.Number(slowest.DurationMs)} ms reading {slowest.RowsRead} rows, shape: {slowest.Shape}. All of them: GET /ops/slow?tenant={g.Key.Tenant}&kind={kind}.",
                    RunbookSections.SlowOperations, g.Key.Tenant);
            })]);
    }
}
