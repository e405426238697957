using LinkTracker.Clicks;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Options;

namespace LinkTracker.Storage;

public static class StorageExtensions
{
    /// <summary>The storage engine behind the ports; the embedded SQLite adapters are the default.</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SqliteDatabases(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory,
            sp.GetRequiredService<IOptions<CaptureOptions>>().Value.Synchronous == JournalSync.Full));
        builder.Services.AddSingleton<ICatalogStore, SqliteCatalogStore>();
        builder.Services.AddSingleton<ITenantProvisioner, SqliteTenantProvisioner>();
        builder.Services.AddSingleton<ILinkStore, SqliteLinkStore>();
        builder.Services.AddSingleton<IClickStore, SqliteClickStore>();
        builder.Services.AddSingleton<IClickRetention, SqliteClickRetention>();
        builder.Services.AddSingleton<IStatsStore, SqliteStatsStore>();
        builder.Services.AddSingleton<IClickJournal, SqliteClickJournal>();
        builder.Services.AddHostedService<StorageStartup>();
        return builder;
    }
}
