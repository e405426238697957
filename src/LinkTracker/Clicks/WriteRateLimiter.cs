using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// Spaces write transactions at least 1/cap seconds apart, so no wall-clock second ever holds more than
/// the cap: the database sees the same load whether 40 or 40,000 clicks per second arrive. This process's own budget;
/// on PostgreSQL, the fallback of the shared one while the database cannot grant slots.
/// </summary>
public sealed class WriteRateLimiter(IOptions<WriterOptions> options, TimeProvider time) : IWriteBudget
{
    /// <summary>The least time between two write transactions at the configured cap, rounded up to a tick.</summary>
    public static TimeSpan Interval(int transactionsPerSecond) => TimeSpan.FromTicks(
        (TimeSpan.TicksPerSecond / transactionsPerSecond) + (TimeSpan.TicksPerSecond % transactionsPerSecond == 0 ? 0 : 1));

    private readonly long _intervalTicks = Interval(options.Value.MaxTransactionsPerSecond).Ticks;

    private long _nextTicks;

    public WriteBudgetScope Scope => WriteBudgetScope.Process;

    /// <summary>Waits for the next slot and returns its time.</summary>
    public async ValueTask<DateTimeOffset> WaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (now.UtcTicks < _nextTicks)
        {
            // Timers may fire a hair early: wait again rather than grant before the slot.
            var wait = TimeSpan.FromTicks(Math.Max(_nextTicks - now.UtcTicks, TimeSpan.TicksPerMillisecond));
            await Task.Delay(wait, time, cancellationToken);
            now = time.GetUtcNow();
        }

        _nextTicks = now.UtcTicks + _intervalTicks;
        return now;
    }

    public Task<WriteBudgetUse?> ReadSharedUseAsync(CancellationToken cancellationToken) => Task.FromResult<WriteBudgetUse?>(null);
}
