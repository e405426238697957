using LinkTracker.Core.Clicks;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Storage;

/// <summary>
/// Migrates the catalog and the journal before anything else runs. On PostgreSQL the catalog is migrated with the
/// owner login when this process has one; without it, start fails unless the catalog is already up to date.
/// </summary>
internal sealed class StorageStartup(IClickJournal journal, ICatalogStore? catalog = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (catalog is not null)
        {
            await catalog.MigrateAsync(cancellationToken);
        }

        await journal.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
