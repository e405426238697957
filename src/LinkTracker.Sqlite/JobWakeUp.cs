namespace LinkTracker.Sqlite;

/// <summary>
/// Wakes the embedded queue's receivers: a signal completed whenever a job is ready, and one timer set to the next
/// moment the schedule changes by itself (a delayed job comes due, a lease ends). Nothing polls. Used under the queue's mutex.
/// </summary>
internal sealed class JobWakeUp(TimeProvider time) : IAsyncDisposable
{
    private TaskCompletionSource _changed = NewSignal();
    private ITimer? _timer;

    /// <summary>Completes at the next wake-up, or when the queue stops.</summary>
    public Task Changed => _changed.Task;

    /// <summary>Starts the timer; until then <see cref="Settle"/> does nothing.</summary>
    public void Start(Func<Task> onTimer) =>
        _timer = time.CreateTimer(_ => _ = onTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>After each change: wake receivers if a job is ready, and set the timer to the schedule's next wake-up.</summary>
    public void Settle(JobSchedule schedule, long now)
    {
        if (_timer is null)
        {
            return;
        }

        if (schedule.HasReady)
        {
            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult();
        }

        var next = schedule.NextWakeUp;
        _timer.Change(next is { } at ? TimeSpan.FromMilliseconds(Math.Max(1, at - now)) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the timer and wakes every waiting receiver for good.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
            _timer = null;
        }

        _changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
