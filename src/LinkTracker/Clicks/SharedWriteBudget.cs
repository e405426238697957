using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// The database's write budget (ADR 22): every writer that drains into one PostgreSQL database takes its slots from a
/// row in that database, so three workers together start at most Writer:MaxTransactionsPerSecond write transactions
/// per second, not three times as many. While the database cannot grant a slot (down, or a catalog from before the
/// budget during a rollout), the writer falls back to its own cap: its writes would fail anyway while the database is
/// down, and it never writes faster than one process could.
/// </summary>
public sealed partial class SharedWriteBudget(
    IWriteBudgetStore store, WriteRateLimiter local, IOptions<WriterOptions> options, TimeProvider time, ILogger<SharedWriteBudget> logger)
    : IWriteBudget
{
    // Microseconds, the database's precision, rounded up: cap + 1 grants can never fit in one second.
    private readonly TimeSpan _interval = TimeSpan.FromMicroseconds(Math.Ceiling(1_000_000d / options.Value.MaxTransactionsPerSecond));
    private bool _local;

    public WriteBudgetScope Scope => WriteBudgetScope.Database;

    public async ValueTask<DateTimeOffset> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            WriteSlot slot;
            try
            {
                slot = await store.TryTakeAsync(_interval, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (!_local)
                {
                    _local = true;
                    LogFellBack(logger, ex);
                }

                return await local.WaitAsync(cancellationToken);
            }

            if (_local)
            {
                _local = false;
                LogShared(logger);
            }

            if (slot.Granted)
            {
                return slot.At;
            }

            // Another writer took the slot: wait for the next one (a timer may fire a hair early; the database decides).
            await Task.Delay(slot.Wait > TimeSpan.FromMilliseconds(1) ? slot.Wait : TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    public async Task<WriteBudgetUse?> ReadSharedUseAsync(CancellationToken cancellationToken) => await store.ReadUseAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database's write budget cannot grant slots; this writer keeps to its own cap (Writer:MaxTransactionsPerSecond) until it can. Run 'linktracker migrate' if the catalog predates the budget")]
    private static partial void LogFellBack(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database's write budget grants slots again; this writer shares it with the others")]
    private static partial void LogShared(ILogger logger);
}
