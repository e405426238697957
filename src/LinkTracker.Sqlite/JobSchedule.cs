namespace LinkTracker.Sqlite;

/// <summary>
/// The embedded queue's schedule, in memory and without I/O: delayed jobs by due time, due jobs in one list per tenant
/// (system jobs without a tenant form their own) served in turns, and the leases with their ends. Times are Unix ms.
/// Not thread-safe: the queue changes it under its mutex, after the file took the change.
/// </summary>
internal sealed class JobSchedule
{
    private readonly PriorityQueue<ScheduledJob, (long Due, long Seq)> _delayed = new();
    private readonly Dictionary<string, PriorityQueue<ScheduledJob, (long Due, long Seq)>> _ready = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Dictionary<long, ScheduledJob> _leased = [];
    private readonly PriorityQueue<long, long> _leaseEnds = new();
    private long _lastToken;

    /// <summary>Whether a job is due now (receivers should wake).</summary>
    public bool HasReady => _turns.Count > 0;

    public int DelayedCount => _delayed.Count;

    public int LeasedCount => _leased.Count;

    /// <summary>When something next changes by itself (a delayed job comes due or a lease ends), or null.</summary>
    public long? NextWakeUp
    {
        get
        {
            long? next = _delayed.TryPeek(out _, out var first) ? first.Due : null;
            if (_leaseEnds.TryPeek(out _, out var end) && (next is null || end < next))
            {
                next = end;
            }

            return next;
        }
    }

    /// <summary>Adds a waiting job: ready at once when it is due, delayed otherwise.</summary>
    public void Add(ScheduledJob job, long now)
    {
        if (job.Due <= now)
        {
            AddReady(job);
        }
        else
        {
            _delayed.Enqueue(job, (job.Due, job.Seq));
        }
    }

    /// <summary>Moves the delayed jobs that came due to their tenant's ready list.</summary>
    public void PromoteDue(long now)
    {
        while (_delayed.TryPeek(out var job, out var key) && key.Due <= now)
        {
            _delayed.Dequeue();
            AddReady(job);
        }
    }

    /// <summary>
    /// The next tenant in turn gives its oldest due job, and goes to the back of the turns if it has more. A tenant
    /// with 1,000 due jobs therefore delays another tenant's single job by at most one turn.
    /// </summary>
    /// <returns>The job, no longer in the schedule until it is leased or put back; null when nothing is due.</returns>
    public ScheduledJob? TakeNext()
    {
        if (!_turns.TryDequeue(out var tenant))
        {
            return null;
        }

        var jobs = _ready[tenant];
        var job = jobs.Dequeue();
        if (jobs.Count > 0)
        {
            _turns.Enqueue(tenant);
        }
        else
        {
            _ready.Remove(tenant);
        }

        return job;
    }

    /// <summary>Puts back a job taken with <see cref="TakeNext"/> that could not be leased; its tenant joins the turns again.</summary>
    public void PutBack(ScheduledJob job) => AddReady(job);

    /// <summary>Leases a taken job until <paramref name="until"/>: one more attempt, a new token.</summary>
    public void Lease(ScheduledJob job, long until)
    {
        job.Attempts++;
        job.Token = ++_lastToken;
        job.LeasedUntil = until;
        _leased.Add(job.Token, job);
        _leaseEnds.Enqueue(job.Token, until);
    }

    /// <summary>The job a delivery still holds, or null once its lease has ended (acknowledged, failed, expired or taken back).</summary>
    public ScheduledJob? Holder(long token, string id, long now) =>
        _leased.TryGetValue(token, out var job) && job.Id == id && job.LeasedUntil > now ? job : null;

    /// <summary>The leased job with this id, or null (ids are unique among waiting and leased jobs).</summary>
    public ScheduledJob? Leased(string id) => _leased.Values.FirstOrDefault(job => job.Id == id);

    public void ExtendLease(ScheduledJob job, long until)
    {
        _leaseEnds.Remove(job.Token, out _, out _);
        job.LeasedUntil = until;
        _leaseEnds.Enqueue(job.Token, until);
    }

    /// <summary>The job is done or dead: it leaves the schedule.</summary>
    public void EndLease(ScheduledJob job)
    {
        _leased.Remove(job.Token);
        _leaseEnds.Remove(job.Token, out _, out _);
    }

    /// <summary>The attempt failed and the job waits until <paramref name="due"/> for the next one.</summary>
    public void Retry(ScheduledJob job, long due, long now)
    {
        EndLease(job);
        job.Token = 0;
        job.Due = due;
        Add(job, now);
    }

    /// <summary>A refreshed job's attempt ended: it waits again, due at <paramref name="now"/>, with fresh attempts.</summary>
    public void Requeue(ScheduledJob job, long now)
    {
        job.Again = false;
        job.Attempts = 0;
        Retry(job, now, now);
    }

    /// <summary>
    /// The next leased job whose lease has ended by <paramref name="now"/>, soonest first; it stays leased until the
    /// caller fails it (<see cref="Retry"/> or <see cref="EndLease"/>) or, when the file refuses that, postpones it.
    /// </summary>
    public ScheduledJob? TakeEndedLease(long now)
    {
        while (_leaseEnds.TryPeek(out var token, out var end) && end <= now)
        {
            _leaseEnds.Dequeue();
            if (_leased.TryGetValue(token, out var job))
            {
                return job;
            }
        }

        return null;
    }

    /// <summary>Looks at an ended lease again at <paramref name="at"/>; the job stays leased (and its lease ended) meanwhile.</summary>
    public void PostponeEndedLease(ScheduledJob job, long at) => _leaseEnds.Enqueue(job.Token, at);

    /// <summary>A tenant with no ready job joins the back of the turns; within a tenant the oldest due job goes first.</summary>
    private void AddReady(ScheduledJob job)
    {
        var tenant = job.Tenant ?? "";
        if (!_ready.TryGetValue(tenant, out var jobs))
        {
            _ready[tenant] = jobs = new PriorityQueue<ScheduledJob, (long Due, long Seq)>();
            _turns.Enqueue(tenant);
        }

        jobs.Enqueue(job, (job.Due, job.Seq));
    }
}
