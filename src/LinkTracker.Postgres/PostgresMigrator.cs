using System.Reflection;
using LinkTracker.Core.Common;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// Applies the embedded scripts of one kind of schema in order. Each schema records its own version in its
/// table schema_version, so tenants can be upgraded one by one.
/// </summary>
public static class PostgresMigrator
{
    public static IReadOnlyList<string> Scripts(string kind)
    {
        var prefix = $"{typeof(PostgresMigrator).Namespace}.Migrations.{kind}.";
        return [.. typeof(PostgresMigrator).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Brings the schema up to date within the caller's transaction, which holds the schema's provisioning lock;
    /// refuses a schema newer than the scripts. The scripts run with search_path = schema, pg_temp.
    /// </summary>
    internal static async Task MigrateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string kind, string databaseName, CancellationToken cancellationToken)
    {
        var scripts = Scripts(kind);
        await using (var bootstrap = new NpgsqlCommand($"""
            SET LOCAL search_path = {PostgresNames.Quote(schema)}, pg_temp;
            CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);
            INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
            """, connection, transaction))
        {
            await bootstrap.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = new NpgsqlCommand("SELECT version FROM schema_version", connection, transaction);
        var version = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
        if (version > scripts.Count)
        {
            throw new SchemaTooNewException(databaseName, version, scripts.Count);
        }

        for (var next = version; next < scripts.Count; next++)
        {
            await using var command = new NpgsqlCommand(ReadScript(scripts[next]), connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var update = new NpgsqlCommand("UPDATE schema_version SET version = $1", connection, transaction)
        {
            Parameters = { new NpgsqlParameter<int> { TypedValue = scripts.Count } },
        };
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The rollout rule (docs/deploy.md): a process without the owner login serves a schema at its own version or one
    /// behind — migrations only add, so this build's statements work on the previous schema — and refuses a newer one
    /// (old code off new data) or an older one (migrate first).
    /// </summary>
    /// <returns>The version found, for features that need the newest one.</returns>
    internal static int CheckVersion(int version, string kind, string databaseName)
    {
        var known = Scripts(kind).Count;
        if (version > known)
        {
            throw new SchemaTooNewException(databaseName, version, known);
        }

        return version >= known - 1 && version >= 1 ? version : throw new SchemaTooOldException(databaseName, version, known);
    }

    /// <summary>The version a schema has once the named script ran (its position among the scripts), for a feature that needs it.</summary>
    internal static int VersionOf(string kind, string script) =>
        Scripts(kind).ToList().FindIndex(name => name.EndsWith("." + script, StringComparison.Ordinal)) is var index and >= 0
            ? index + 1
            : throw new InvalidOperationException($"No {kind} migration named {script}.");

    /// <summary>The newest version this build knows for a kind of database ("Catalog", "Tenant").</summary>
    internal static int KnownVersion(string kind) => Scripts(kind).Count;

    /// <summary>Takes a transaction-scoped lock that serialises provisioning and migrating one schema.</summary>
    internal static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = "linktracker schema " + schema } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ReadScript(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
