using LinkTracker.Core.Links;

namespace LinkTracker.Sqlite;

/// <summary>Visit limits in the embedded deployment: one conditional upsert per visit of a limited link, in the tenant's database.</summary>
public sealed class SqliteVisitCounter(SqliteDatabases databases) : IVisitCounter
{
    public async Task<bool> TryVisitAsync(VisitKey key, long maxVisits, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        if (maxVisits < 1)
        {
            return false;
        }

        await using var connection = await databases.OpenTenantAsync(key.Tenant, cancellationToken);
        // Atomic: the count goes up only while it is below the limit, so concurrent visits never pass it.
        await using var command = connection.Command("""
            INSERT INTO link_visits (code, version, count) VALUES ($code, $version, 1)
            ON CONFLICT (code, version) DO UPDATE SET count = count + 1 WHERE count < $max
            RETURNING count
            """);
        command.Parameters.AddWithValue("$code", key.Code);
        command.Parameters.AddWithValue("$version", key.Version);
        command.Parameters.AddWithValue("$max", maxVisits);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
