using LinkTracker.Core.Segments;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook.Doctor;

/// <summary>
/// Slow "at least N clicks" segment runs of a tenant without the recipient index, which would have served them (ADR 31):
/// one problem per tenant, naming the command that builds it and what that costs the tenant's writes.
/// </summary>
public sealed class FrequencySegmentsCheck(SlowLog log, TimeProvider time) : IDoctorCheck
{
    public string Name => "frequency-segments";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var recent = log.Recent(kind: SlowOperationKind.Segment, since: time.GetUtcNow() - TenantActivity.Window);
        return Task.FromResult<IReadOnlyList<DoctorProblem>>([.. recent
            .Where(o => LacksRecipientIndex(o))
            .GroupBy(o => o.Tenant)
            .OrderByDescending(g => g.Count())
            .Select(g =>
            {
                var slowest = g.MaxBy(o => o.DurationMs)!;
                return new DoctorProblem(Name, DoctorSeverity.Warning,
                    $"Tenant {g.Key}'s \"at least N clicks\" segments are slow without the recipient index.",
                    $"{g.Count()} slow run(s) in {DoctorText.Window}; slowest {DoctorText.Number(slowest.DurationMs)} ms reading {slowest.RowsRead} rows. "
                    + $"The index would serve them: 'linktracker segments index {g.Key}' (the tenant's click writes then cost more; see the runbook first).",
                    RunbookSections.FrequencySegments, g.Key);
            })]);
    }

    /// <summary>A segment run the recipient index would have served, on a tenant that has none (SegmentRunJobHandler marks the shape).</summary>
    public static bool LacksRecipientIndex(SlowOperation operation) =>
        operation.Kind == SlowOperationKind.Segment && operation.Shape.EndsWith(IRecipientIndex.MissingShape, StringComparison.Ordinal);
}
