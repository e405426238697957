namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// A leased delivery: unacknowledged at the broker until the worker acks or fails it, or its lease timer fails it.
/// Exactly one of those ends it (<see cref="TryEnd"/>); the others then find the lease lost.
/// </summary>
internal sealed class HeldJob(long token, ulong tag, long generation, JobMessage job, int attempt, DateTimeOffset leasedUntil)
{
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _ended;

    public long Token { get; } = token;

    public ulong Tag { get; } = tag;

    public long Generation { get; } = generation;

    public JobMessage Job { get; } = job;

    /// <summary>The attempt this delivery is, the first being 1.</summary>
    public int Attempt { get; } = attempt;

    public DateTimeOffset LeasedUntil { get; private set; } = leasedUntil;

    public void StartTimer(TimeProvider time, Action<HeldJob> onLeaseEnd)
    {
        lock (_lock)
        {
            _timer = time.CreateTimer(_ => onLeaseEnd(this), null, Until(time), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Moves the lease's end; false once it has ended (or its time has come and the timer is about to end it).</summary>
    public bool TryExtend(TimeProvider time, DateTimeOffset until)
    {
        lock (_lock)
        {
            if (_ended || LeasedUntil <= time.GetUtcNow())
            {
                return false;
            }

            LeasedUntil = until;
            _timer?.Change(Until(time), Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>Ends the lease once; <paramref name="byTimer"/> ends it even when its time has passed, the worker only before.</summary>
    public bool TryEnd(TimeProvider time, bool byTimer)
    {
        lock (_lock)
        {
            if (_ended || (!byTimer && LeasedUntil <= time.GetUtcNow()))
            {
                return false;
            }

            _ended = true;
            _timer?.Dispose();
            return true;
        }
    }

    private TimeSpan Until(TimeProvider time) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (LeasedUntil - time.GetUtcNow()).Ticks));
}
