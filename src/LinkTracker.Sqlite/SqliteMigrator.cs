using System.Reflection;
using LinkTracker.Core.Common;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>Applies the embedded scripts of one kind of database in order; PRAGMA user_version is its version.</summary>
public static class SqliteMigrator
{
    public static IReadOnlyList<string> Scripts(string kind)
    {
        var prefix = $"{typeof(SqliteMigrator).Namespace}.Migrations.{kind}.";
        return [.. typeof(SqliteMigrator).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    public static async Task MigrateAsync(SqliteConnection connection, string kind, string databaseName, CancellationToken cancellationToken)
    {
        var scripts = Scripts(kind);
        var version = await ReadVersionAsync(connection, cancellationToken);
        if (version > scripts.Count)
        {
            throw new SchemaTooNewException(databaseName, version, scripts.Count);
        }

        for (var next = version; next < scripts.Count; next++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = ReadScript(scripts[next]) + $"\nPRAGMA user_version = {next + 1};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static string ReadScript(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
