using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LinkTracker.Clicks;

namespace LinkTracker.Jobs;

/// <summary>
/// Job outcomes per type and tenant (OpenTelemetry meter "LinkTracker", tags type and tenant, "" for system jobs),
/// and the same counts in memory for /ops/jobs.
/// </summary>
public sealed class JobMetrics
{
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _clicksDeleted;
    private readonly ConcurrentDictionary<(string Type, string Tenant), Counts> _counts = new();

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ClickMetrics.MeterName);
        _succeeded = meter.CreateCounter<long>("linktracker.jobs.succeeded", "{job}", "Jobs run to the end and acknowledged");
        _failed = meter.CreateCounter<long>("linktracker.jobs.failed", "{attempt}", "Job attempts that threw; the job is retried or dead-lettered");
        _deadLettered = meter.CreateCounter<long>("linktracker.jobs.dead_lettered", "{job}", "Jobs that failed their last attempt and wait in the dead letters");
        _clicksDeleted = meter.CreateCounter<long>("linktracker.retention.clicks_deleted", "{click}", "Raw clicks deleted by retention (rollups are kept)");
    }

    public void Succeeded(string type, string? tenant)
    {
        _succeeded.Add(1, Tags(type, tenant));
        Interlocked.Increment(ref For(type, tenant).Succeeded);
    }

    public void Failed(string type, string? tenant)
    {
        _failed.Add(1, Tags(type, tenant));
        Interlocked.Increment(ref For(type, tenant).Failed);
    }

    public void DeadLettered(string type, string? tenant)
    {
        _deadLettered.Add(1, Tags(type, tenant));
        Interlocked.Increment(ref For(type, tenant).DeadLettered);
    }

    public void ClicksDeleted(string tenant, long count) => _clicksDeleted.Add(count, new KeyValuePair<string, object?>("tenant", tenant));

    /// <summary>The counts so far, by type then tenant.</summary>
    public IReadOnlyList<JobTypeCounts> Snapshot() =>
    [
        .. _counts
            .OrderBy(c => c.Key.Type, StringComparer.Ordinal).ThenBy(c => c.Key.Tenant, StringComparer.Ordinal)
            .Select(c => new JobTypeCounts(
                c.Key.Type,
                c.Key.Tenant.Length == 0 ? null : c.Key.Tenant,
                Interlocked.Read(ref c.Value.Succeeded),
                Interlocked.Read(ref c.Value.Failed),
                Interlocked.Read(ref c.Value.DeadLettered))),
    ];

    private static TagList Tags(string type, string? tenant) => new() { { "type", type }, { "tenant", tenant ?? "" } };

    private Counts For(string type, string? tenant) => _counts.GetOrAdd((type, tenant ?? ""), _ => new Counts());

    private sealed class Counts
    {
        public long Succeeded;
        public long Failed;
        public long DeadLettered;
    }
}
