using LinkTracker.Core.Links;

namespace LinkTracker.Postgres;

/// <summary>Visit limits without Redis: one conditional upsert per visit of a limited link, in the tenant's schema.</summary>
public sealed class PostgresVisitCounter(PostgresDatabases databases) : IVisitCounter
{
    private static readonly int VisitsVersion = PostgresMigrator.VersionOf("Tenant", "0010_link_features.sql");

    public async Task<bool> TryVisitAsync(VisitKey key, long maxVisits, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        if (maxVisits < 1)
        {
            return false;
        }

        await using var transaction = await databases.BeginTenantAsync(key.Tenant, VisitsVersion, cancellationToken);
        // Atomic: the row is locked by the upsert, and the count goes up only while it is below the limit.
        await using var command = transaction.Command("""
            INSERT INTO link_visits (code, version, count) VALUES ($1, $2, 1)
            ON CONFLICT (code, version) DO UPDATE SET count = link_visits.count + 1 WHERE link_visits.count < $3
            RETURNING count
            """);
        command.Parameters.Add(PostgresValues.Text(key.Code));
        command.Parameters.Add(PostgresValues.Of(key.Version));
        command.Parameters.Add(PostgresValues.Of(maxVisits));
        var counted = await command.ExecuteScalarAsync(cancellationToken) is not null;
        await transaction.CommitAsync(cancellationToken);
        return counted;
    }
}
