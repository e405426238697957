using System.Security.Cryptography;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;
using LinkTracker.Core.Clicks;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The storage engine under (f): SQLite (the embedded deployment, a file per tenant) or PostgreSQL (the bench's private
/// server from scripts/services.sh, a schema and login per tenant, stopped at the end). It provisions tenants, gives the
/// server its storage settings, bulk-loads clicks into a stopped tenant and writes them through the writer's adapter.
/// </summary>
public abstract class SegmentEngine : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>For `linktracker tenants add` and `users add`.</summary>
    public abstract IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>For `linktracker serve`.</summary>
    public abstract IReadOnlyList<string> Settings { get; }

    public static async Task<SegmentEngine> CreateAsync(string name, BenchContext context, string data, CancellationToken cancellationToken)
    {
        if (name == "sqlite")
        {
            return new SqliteEngine(data);
        }

        context.Log("(f) starting PostgreSQL (scripts/services.sh)");
        // Not under the bench's work folder: that one is private to root (mode 700), and the servers run as their own users.
        var folder = Path.Combine(Path.GetTempPath(), "linktracker-bench-services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var services = await PrivateServices.StartAsync(context.Paths, folder, cancellationToken);
        try
        {
            return new PostgresEngine(services, await BenchDatabase.CreateAsync(services.Postgres, cancellationToken), context);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    /// <summary>Clicks into a stopped, empty tenant, set-based (SqliteBulkClicks, PostgresBulkClicks).</summary>
    public abstract Task<(double Clicks, double Rollups)> BulkLoadAsync(string tenant, IEnumerable<Click> clicks, Action<string> log, CancellationToken cancellationToken);

    /// <summary>Clicks through the writer's adapter (the engine's IClickStore), 1,000 per batch.</summary>
    public abstract Task<double> WriteAsync(string tenant, IEnumerable<Click> clicks, CancellationToken cancellationToken);

    /// <summary>The writer's tables of two tenants loaded with the same clicks (see <see cref="RollupTwins"/>).</summary>
    public abstract Task CompareAsync(string written, string loaded, ScenarioReport report, CancellationToken cancellationToken);

    /// <summary>Bytes the tenant's clicks and rollups take on disk.</summary>
    public abstract Task<long> SizeAsync(string tenant, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteEngine(string data) : SegmentEngine
    {
        public override string Name => "SQLite";

        public override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>();

        public override IReadOnlyList<string> Settings { get; } = [];

        public override Task<(double Clicks, double Rollups)> BulkLoadAsync(string tenant, IEnumerable<Click> clicks, Action<string> log, CancellationToken cancellationToken) =>
            SqliteBulkClicks.LoadAsync(PathOf(tenant), clicks, log, cancellationToken);

        public override async Task<double> WriteAsync(string tenant, IEnumerable<Click> clicks, CancellationToken cancellationToken)
        {
            var seconds = await SegmentClicks.WriteAsync(new SqliteClickStore(new SqliteDatabases(data)), tenant, clicks, 1_000, cancellationToken);
            SqliteConnection.ClearAllPools();
            return seconds;
        }

        public override Task CompareAsync(string written, string loaded, ScenarioReport report, CancellationToken cancellationToken) =>
            RollupTwins.CompareSqliteAsync(PathOf(written), PathOf(loaded), Name, report, cancellationToken);

        public override Task<long> SizeAsync(string tenant, CancellationToken cancellationToken) => Task.FromResult(new FileInfo(PathOf(tenant)).Length);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private string PathOf(string tenant) => Path.Combine(data, "tenants", tenant + ".db");
    }

    private sealed class PostgresEngine(PrivateServices services, BenchDatabase database, BenchContext context) : SegmentEngine
    {
        public override string Name => "PostgreSQL";

        public override IReadOnlyDictionary<string, string> Environment => database.ProvisioningEnvironment;

        public override IReadOnlyList<string> Settings => database.RuntimeSettings;

        public override Task<(double Clicks, double Rollups)> BulkLoadAsync(string tenant, IEnumerable<Click> clicks, Action<string> log, CancellationToken cancellationToken) =>
            PostgresBulkClicks.LoadAsync(database.OwnerConnectionString, tenant, clicks, log, cancellationToken);

        public override async Task<double> WriteAsync(string tenant, IEnumerable<Click> clicks, CancellationToken cancellationToken)
        {
            // The writer's own adapter with the runtime login and the tenant's login, as a worker has them (ADR 12).
            await using var runtime = NpgsqlDataSource.Create(database.RuntimeConnectionString);
            var protection = DataProtectionProvider.Create(new DirectoryInfo(database.KeysDirectory), b => b.SetApplicationName("LinkTracker"));
            await using var databases = new PostgresDatabases(runtime, owner: null, BenchDatabase.RolePrefix, protection);
            return await SegmentClicks.WriteAsync(new PostgresClickStore(databases), tenant, clicks, 1_000, cancellationToken);
        }

        public override Task CompareAsync(string written, string loaded, ScenarioReport report, CancellationToken cancellationToken) =>
            RollupTwins.ComparePostgresAsync(database.OwnerConnectionString, written, loaded, Name, report, cancellationToken);

        public override async Task<long> SizeAsync(string tenant, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
                connection);
            command.Parameters.Add(new NpgsqlParameter { Value = PostgresDatabases.TenantSchema(tenant) });
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public override async ValueTask DisposeAsync()
        {
            await database.DisposeAsync();
            if (context.KeepData)
            {
                context.Log($"(f) PostgreSQL left running (--keep-data): {database.OwnerConnectionString}; stop it with bash scripts/services.sh stop {services.Folder}");
                return;
            }

            await services.DisposeAsync();
        }
    }
}
