namespace LinkTracker.Core.Clicks;

/// <summary>
/// The database's write budget, kept in the database itself so every writer that drains into it shares one cap
/// (ADR 22): a slot is granted only when the previous grant is at least one interval old on the database's clock.
/// </summary>
public interface IWriteBudgetStore
{
    /// <summary>Takes the next slot if it is due (granted, at the database's time), else says how long until it is.</summary>
    Task<WriteSlot> TryTakeAsync(TimeSpan interval, CancellationToken cancellationToken);

    /// <summary>Slots granted to all writers in the last full second and in the current one so far.</summary>
    Task<WriteBudgetUse> ReadUseAsync(CancellationToken cancellationToken);
}

/// <summary>A slot taken (<paramref name="Granted"/>, at <paramref name="At"/>) or not yet due (try again after <paramref name="Wait"/>).</summary>
public sealed record WriteSlot(bool Granted, DateTimeOffset At, TimeSpan Wait);

/// <summary>Write transactions granted in the last full second and in the current one, across every writer of the database.</summary>
public sealed record WriteBudgetUse(int LastSecond, int CurrentSecond);
