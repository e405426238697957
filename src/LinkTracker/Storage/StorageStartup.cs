using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Tenants;
using LinkTracker.Sqlite;

namespace LinkTracker.Storage;

/// <summary>
/// Migrates the catalog and opens the journal (moving clicks left in an old journal.db into it) before anything else runs. On PostgreSQL the catalog is migrated with the
/// owner login when this process has one; without it, start fails unless the catalog is already up to date.
/// </summary>
internal sealed class StorageStartup(IClickJournal journal, SqliteDatabases databases, ILogger<StorageStartup> logger, ICatalogStore? catalog = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (catalog is not null)
        {
            await catalog.MigrateAsync(cancellationToken);
        }

        await journal.MigrateAsync(cancellationToken);
        if (journal is SegmentClickJournal segments)
        {
            await LegacyJournalImport.RunAsync(databases, segments, logger, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
