namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// The deliveries prefetched by this process, one list per tenant (system jobs form their own), handed out in turns:
/// within the prefetch window a tenant's backlog delays another tenant's job by at most one turn. Thread-safe.
/// </summary>
internal sealed class PrefetchTurns : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<PrefetchedJob>> _byTenant = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly SemaphoreSlim _available = new(0);

    public void Add(PrefetchedJob job)
    {
        lock (_lock)
        {
            var tenant = job.Job.Tenant ?? "";
            if (!_byTenant.TryGetValue(tenant, out var jobs))
            {
                _byTenant[tenant] = jobs = new Queue<PrefetchedJob>();
                _turns.Enqueue(tenant);
            }

            jobs.Enqueue(job);
        }

        _available.Release();
    }

    /// <summary>Waits for a delivery and takes the next tenant's oldest one.</summary>
    public async Task<PrefetchedJob> TakeAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_lock)
        {
            var tenant = _turns.Dequeue();
            var jobs = _byTenant[tenant];
            var job = jobs.Dequeue();
            if (jobs.Count > 0)
            {
                _turns.Enqueue(tenant);
            }
            else
            {
                _byTenant.Remove(tenant);
            }

            return job;
        }
    }

    public IReadOnlyList<PrefetchedJob> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byTenant.Values.SelectMany(jobs => jobs)];
        }
    }

    public void Dispose() => _available.Dispose();
}
