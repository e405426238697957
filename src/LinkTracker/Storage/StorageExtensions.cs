using LinkTracker.Clicks;
using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Dashboard;
using LinkTracker.Core.Legacy;
using LinkTracker.Core.Links;
using LinkTracker.Core.Reports;
using LinkTracker.Core.Segments;
using LinkTracker.Core.SignedLinks;
using LinkTracker.Core.Tenants;
using LinkTracker.Core.Webhooks;
using LinkTracker.Distributed;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracker.Storage;

public static class StorageExtensions
{
    private const string RuntimeDataSource = "postgres-runtime";
    private const string OwnerDataSource = "postgres-owner";

    /// <summary>
    /// The storage engine behind the ports, chosen by Storage:Engine (embedded SQLite by default). The click journal
    /// (segment files) and the job queue (SQLite) are local files of the data folder in both engines. An edge node (without the api
    /// or worker role) gets the journal only: it holds no database credentials.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new SqliteDatabases(
            PrivateDataFolder.Prepare(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory),
            sp.GetRequiredService<IOptions<CaptureOptions>>().Value.Synchronous == JournalSync.Full));
        services.AddSingleton<IClickJournal>(sp => new SegmentClickJournal(
            Path.Combine(PrivateDataFolder.Prepare(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory), "journal"),
            sp.GetRequiredService<IOptions<CaptureOptions>>().Value.Synchronous == JournalSync.Full,
            sp.GetRequiredService<ILogger<SegmentClickJournal>>()));

        services.AddHostedService<StorageStartup>();
        // One key ring per process (tenants' PostgreSQL passwords, webhook secrets), in the deployment's key folder.
        services.AddSingleton(sp => TenantSecrets.Provider(TenantSecrets.KeysDirectory(Options(sp))));
        if (!builder.Roles().HoldsDatabase())
        {
            return builder;
        }

        var engine = builder.Configuration.GetSection(StorageOptions.Section).GetValue(nameof(StorageOptions.Engine), StorageEngine.Sqlite);
        if (engine == StorageEngine.Postgres)
        {
            AddPostgres(services);
        }
        else
        {
            services.AddSingleton<ICatalogStore, SqliteCatalogStore>();
            services.AddSingleton<ITenantProvisioner, SqliteTenantProvisioner>();
            services.AddSingleton<ILinkStore, SqliteLinkStore>();
            services.TryAddSingleton<IVisitCounter, SqliteVisitCounter>(); // Redis counts instead when configured (AddLinks)
            services.AddSingleton<IClickStore, SqliteClickStore>();
            services.AddSingleton<IClickRetention, SqliteClickRetention>();
            services.AddSingleton<IStatsStore, SqliteStatsStore>();
            services.AddSingleton<IReportStore, SqliteReportStore>();
            services.AddSingleton<ISegmentStore, SqliteSegmentStore>();
            services.AddSingleton<IRecipientIndex, SqliteRecipientIndex>();
            services.AddSingleton<ILinkImportStore, SqliteLinkImportStore>();
            services.AddSingleton<IDashboardUserStore, SqliteDashboardUserStore>();
            services.AddSingleton<ILegacyStore, SqliteLegacyStore>();
            services.AddSingleton<IClickWebhookStore, SqliteClickWebhookStore>();
            services.AddSingleton<ISegmentDeliveryStore, SqliteSegmentDeliveryStore>();
            services.AddSingleton<ISigningKeyStore, SqliteSigningKeyStore>();
        }

        return builder;
    }

    private static void AddPostgres(IServiceCollection services)
    {
        // The container disposes the pools it created when the host stops.
        services.AddKeyedSingleton(RuntimeDataSource, (sp, _) => NpgsqlDataSource.Create(Options(sp).Postgres!));
        services.AddKeyedSingleton(OwnerDataSource, (sp, _) => NpgsqlDataSource.Create(Options(sp).PostgresOwner!));
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            return new PostgresDatabases(
                sp.GetRequiredKeyedService<NpgsqlDataSource>(RuntimeDataSource),
                string.IsNullOrWhiteSpace(options.PostgresOwner) ? null : sp.GetRequiredKeyedService<NpgsqlDataSource>(OwnerDataSource),
                options.PostgresRolePrefix,
                sp.GetRequiredService<IDataProtectionProvider>(),
                options.PostgresMaxTenantConnections,
                options.PostgresTenantPoolIdleTime);
        });
        services.AddSingleton<ICatalogStore, PostgresCatalogStore>();
        services.AddSingleton<ITenantProvisioner, PostgresTenantProvisioner>();
        services.AddSingleton<ILinkStore, PostgresLinkStore>();
        services.TryAddSingleton<IVisitCounter, PostgresVisitCounter>(); // Redis counts instead when configured (AddLinks)
        services.AddSingleton<IClickStore, PostgresClickStore>();
        services.AddSingleton<IWriteBudgetStore, PostgresWriteBudgetStore>();
        services.AddSingleton<IClickRetention, PostgresClickRetention>();
        services.AddSingleton<IStatsStore, PostgresStatsStore>();
        services.AddSingleton<IReportStore, PostgresReportStore>();
        services.AddSingleton<ISegmentStore, PostgresSegmentStore>();
        services.AddSingleton<IRecipientIndex, PostgresRecipientIndex>();
        services.AddSingleton<ILinkImportStore, PostgresLinkImportStore>();
        services.AddSingleton<IDashboardUserStore, PostgresDashboardUserStore>();
        services.AddSingleton<ILegacyStore, PostgresLegacyStore>();
        services.AddSingleton<IClickWebhookStore, PostgresClickWebhookStore>();
        services.AddSingleton<ISegmentDeliveryStore, PostgresSegmentDeliveryStore>();
        services.AddSingleton<ISigningKeyStore, PostgresSigningKeyStore>();
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}
