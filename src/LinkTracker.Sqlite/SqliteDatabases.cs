using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// Where the embedded databases live: catalog.db, journal.db and tenants/&lt;slug&gt;.db under one folder.
/// Opens pooled connections; a tenant's database is migrated once per process, on first use.
/// </summary>
public sealed partial class SqliteDatabases(string dataDirectory, bool durableJournal = true)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _migratedTenants = new(StringComparer.Ordinal);

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public string CatalogPath => Path.Combine(DataDirectory, "catalog.db");

    public string JournalPath => Path.Combine(DataDirectory, "journal.db");

    public string JobsPath => Path.Combine(DataDirectory, "jobs.db");

    public string TenantPath(string tenant)
    {
        // Slugs are validated upstream; this keeps a bad one from ever becoming a path.
        if (!SlugPattern().IsMatch(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a tenant slug.", nameof(tenant));
        }

        return Path.Combine(DataDirectory, "tenants", tenant + ".db");
    }

    /// <summary>Page cache of every connection but the click writer's: point reads need little, and the pool may hold many.</summary>
    private const int ReaderCacheKib = 2_048;

    /// <summary>The click writer's page cache: its random first_seen and index pages stay in memory between batches.</summary>
    private const int WriterCacheKib = 16_384;

    public Task<SqliteConnection> OpenCatalogAsync(CancellationToken cancellationToken) =>
        OpenAsync(CatalogPath, synchronousFull: true, cancellationToken);

    public Task<SqliteConnection> OpenJournalAsync(CancellationToken cancellationToken) =>
        OpenAsync(JournalPath, durableJournal, cancellationToken);

    public Task<SqliteConnection> OpenJobsAsync(CancellationToken cancellationToken) =>
        OpenAsync(JobsPath, synchronousFull: true, cancellationToken);

    public bool TenantExists(string tenant) => File.Exists(TenantPath(tenant));

    /// <summary>Opens a tenant's database, creating and migrating it on first use in this process.</summary>
    public Task<SqliteConnection> OpenTenantAsync(string tenant, CancellationToken cancellationToken) =>
        OpenTenantAsync(tenant, forClickWriter: false, cancellationToken);

    /// <summary>Opens a tenant's database for the click writer: a larger page cache, in a pool of its own so readers never shrink it.</summary>
    public Task<SqliteConnection> OpenTenantForClickWriterAsync(string tenant, CancellationToken cancellationToken) =>
        OpenTenantAsync(tenant, forClickWriter: true, cancellationToken);

    private async Task<SqliteConnection> OpenTenantAsync(string tenant, bool forClickWriter, CancellationToken cancellationToken)
    {
        var path = TenantPath(tenant);
        var migrated = _migratedTenants.GetOrAdd(tenant, _ => new Lazy<Task>(() => MigrateTenantAsync(tenant, path)));
        try
        {
            await migrated.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _migratedTenants.TryRemove(tenant, out _);
            throw;
        }

        return await OpenAsync(path, synchronousFull: true, cancellationToken, forClickWriter ? WriterCacheKib : ReaderCacheKib);
    }

    private static async Task MigrateTenantAsync(string tenant, string path)
    {
        await using var connection = await OpenAsync(path, synchronousFull: true, CancellationToken.None);
        await SqliteMigrator.MigrateAsync(connection, "Tenant", $"The database of tenant '{tenant}' ({path})", CancellationToken.None);
    }

    private static async Task<SqliteConnection> OpenAsync(string path, bool synchronousFull, CancellationToken cancellationToken, int cacheKib = ReaderCacheKib)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
            // Private is SQLite's default; naming it makes the writer's connection string, and so its pool, its own.
            Cache = cacheKib == WriterCacheKib ? SqliteCacheMode.Private : SqliteCacheMode.Default,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets the redirect path append while the writer reads; FULL syncs every commit (survives power loss).
        // busy_timeout lets SQLite wait for a lock in 1-100 ms steps instead of Microsoft.Data.Sqlite's 150 ms sleeps;
        // cache_size is per connection and the pool keeps connections open: 2 MB for readers, 16 MB for the click writer.
        pragma.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(synchronousFull ? "FULL" : "NORMAL")}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -{cacheKib};";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex SlugPattern();
}
