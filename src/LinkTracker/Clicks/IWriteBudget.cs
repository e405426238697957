using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>
/// Where the writer gets its next transaction slot: this process's own cap (<see cref="WriteRateLimiter"/>, the
/// embedded deployment's single writer) or the database's, shared by every writer that drains into it
/// (<see cref="SharedWriteBudget"/>, ADR 22).
/// </summary>
public interface IWriteBudget
{
    /// <summary>Database when every writer of the database shares the budget; then <see cref="ReadSharedUseAsync"/> counts all of them.</summary>
    WriteBudgetScope Scope { get; }

    /// <summary>Waits for the next slot and returns its time.</summary>
    ValueTask<DateTimeOffset> WaitAsync(CancellationToken cancellationToken);

    /// <summary>All writers' use of a shared budget; null when the budget is this process's own.</summary>
    Task<WriteBudgetUse?> ReadSharedUseAsync(CancellationToken cancellationToken);
}
