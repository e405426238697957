using System.Globalization;
using System.Text;
using LinkTracker.Core.Common;
using LinkTracker.Core.Links;
using Npgsql;

namespace LinkTracker.Postgres;

public sealed class PostgresLinkStore(PostgresDatabases databases) : ILinkStore
{
    /// <summary>The tenant schema version that added links.features (0010); a tenant one behind is read without it.</summary>
    private static readonly int FeaturesVersion = PostgresMigrator.VersionOf("Tenant", "0010_link_features.sql");

    public async Task<IReadOnlyList<string>> InsertAsync(string tenant, IReadOnlyList<Link> links, CancellationToken cancellationToken)
    {
        if (links.Count == 0)
        {
            return [];
        }

        await using var transaction = await BeginForWriteAsync(tenant, links, cancellationToken);
        var features = await databases.HasVersionAsync(transaction, tenant, FeaturesVersion, cancellationToken);
        // One round trip; ON CONFLICT tells which codes are taken, also by a concurrent insert or earlier in this batch.
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction.Transaction);
        foreach (var link in links)
        {
            var insert = new NpgsqlBatchCommand(features
                ? """
                  INSERT INTO links (code, destination, tags, campaign, expires_at, disabled, features, created_at, updated_at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                  ON CONFLICT (code) DO NOTHING
                  """
                : """
                  INSERT INTO links (code, destination, tags, campaign, expires_at, disabled, created_at, updated_at)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                  ON CONFLICT (code) DO NOTHING
                  """);
            AddLinkParameters(insert.Parameters, link, features);
            insert.Parameters.Add(PostgresValues.Time(link.CreatedAt));
            insert.Parameters.Add(PostgresValues.Time(link.UpdatedAt));
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var taken = new List<string>();
        for (var i = 0; i < links.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected == 0)
            {
                taken.Add(links[i].Code);
            }
        }

        if (taken.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return taken;
    }

    public async Task<bool> ExistsAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command("SELECT 1 FROM links WHERE code = $1");
        command.Parameters.Add(PostgresValues.Text(code));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task ReadCodesAsync(string tenant, Action<string> add, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command("SELECT code FROM links");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            add(reader.GetString(0));
        }
    }

    public async Task<Link?> FindAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command(
            await SelectLinksAsync(transaction, tenant, cancellationToken) + " WHERE code = $1 AND deleted_at IS NULL");
        command.Parameters.Add(PostgresValues.Text(code));
        var (links, _) = await ReadLinksAsync(command, int.MaxValue, cancellationToken);
        return links.Count == 0 ? null : links[0];
    }

    public async Task<Page<Link>> ListAsync(string tenant, LinkQuery query, CancellationToken cancellationToken)
    {
        var after = query.After is null ? (long?)null : ParseCursor(query.After);
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command("");
        var sql = new StringBuilder(await SelectLinksAsync(transaction, tenant, cancellationToken)).Append(" WHERE deleted_at IS NULL");
        if (after is { } id)
        {
            command.Parameters.Add(PostgresValues.Of(id));
            sql.Append(" AND id < $").Append(command.Parameters.Count);
        }

        if (query.Campaign is not null)
        {
            command.Parameters.Add(PostgresValues.Text(query.Campaign));
            sql.Append(" AND campaign = $").Append(command.Parameters.Count);
        }

        if (query.Tag is not null)
        {
            command.Parameters.Add(PostgresValues.Text(query.Tag));
            sql.Append(" AND tags @> ARRAY[$").Append(command.Parameters.Count).Append(']');
        }

        if (query.Text is not null)
        {
            // No index serves an infix match: the scan walks the primary key newest first and stops at a full page (ADR 23).
            command.Parameters.Add(PostgresValues.Text(query.Text.ToLowerInvariant()));
            var text = "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            sql.Append(CultureInfo.InvariantCulture, $"""
                 AND (strpos(lower(code), {text}) > 0 OR strpos(lower(destination), {text}) > 0 OR strpos(lower(campaign), {text}) > 0
                      OR EXISTS (SELECT 1 FROM unnest(tags) AS t (tag) WHERE strpos(lower(t.tag), {text}) > 0)
                      OR EXISTS (SELECT 1 FROM imported_links i WHERE i.code = links.code AND strpos(lower(i.title), {text}) > 0))
                """);
        }

        command.Parameters.Add(PostgresValues.Of(query.Limit + 1));
        command.CommandText = sql.Append(" ORDER BY id DESC LIMIT $").Append(command.Parameters.Count).ToString();
        var (links, ids) = await ReadLinksAsync(command, query.Limit, cancellationToken);
        return new Page<Link>(links, ids.Count > query.Limit ? ids[query.Limit - 1].ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<bool> UpdateAsync(string tenant, Link link, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginForWriteAsync(tenant, [link], cancellationToken);
        var features = await databases.HasVersionAsync(transaction, tenant, FeaturesVersion, cancellationToken);
        await using var command = transaction.Command(features
            ? """
              UPDATE links SET destination = $2, tags = $3, campaign = $4, expires_at = $5, disabled = $6, features = $7, updated_at = $8
              WHERE code = $1 AND deleted_at IS NULL
              """
            : """
              UPDATE links SET destination = $2, tags = $3, campaign = $4, expires_at = $5, disabled = $6, updated_at = $7
              WHERE code = $1 AND deleted_at IS NULL
              """);
        AddLinkParameters(command.Parameters, link, features);
        command.Parameters.Add(PostgresValues.Time(link.UpdatedAt));
        var updated = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string tenant, string code, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command(
            "UPDATE links SET deleted_at = $2, updated_at = $2 WHERE code = $1 AND deleted_at IS NULL");
        command.Parameters.Add(PostgresValues.Text(code));
        command.Parameters.Add(PostgresValues.Time(at));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static long ParseCursor(string cursor) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new InvalidCursorException();

    /// <summary>A link with features needs the schema that stores them: below it, the write says to migrate.</summary>
    private Task<PostgresTenantTransaction> BeginForWriteAsync(string tenant, IReadOnlyList<Link> links, CancellationToken cancellationToken) =>
        links.Any(l => !l.Features.IsNone)
            ? databases.BeginTenantAsync(tenant, FeaturesVersion, cancellationToken)
            : databases.BeginTenantAsync(tenant, cancellationToken);

    private async Task<string> SelectLinksAsync(PostgresTenantTransaction transaction, string tenant, CancellationToken cancellationToken) =>
        "SELECT id, code, destination, tags, campaign, expires_at, disabled, created_at, updated_at, legacy_status, "
        + (await databases.HasVersionAsync(transaction, tenant, FeaturesVersion, cancellationToken) ? "features" : "NULL::text")
        + " FROM links";

    /// <summary>$1 code, $2 destination, $3 tags, $4 campaign, $5 expiry, $6 disabled, then $7 features when the schema has them.</summary>
    private static void AddLinkParameters(NpgsqlParameterCollection parameters, Link link, bool features)
    {
        parameters.Add(PostgresValues.Text(link.Code));
        parameters.Add(PostgresValues.Text(link.Destination));
        // Stored once each, in ordinal order, as the link's own list would be read back.
        parameters.Add(PostgresValues.Of(link.Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()));
        parameters.Add(PostgresValues.Text(link.Campaign));
        parameters.Add(PostgresValues.Time(link.ExpiresAt));
        parameters.Add(PostgresValues.Of(link.Disabled));
        if (features)
        {
            parameters.Add(PostgresValues.Text(LinkFeatures.Serialize(link.Features)));
        }
    }

    private static async Task<(List<Link> Links, List<long> Ids)> ReadLinksAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new List<Link>();
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
            if (links.Count == limit)
            {
                continue;
            }

            var tags = reader.GetFieldValue<string[]>(3);
            Array.Sort(tags, StringComparer.Ordinal);
            links.Add(new Link(
                reader.GetString(1),
                reader.GetString(2),
                tags,
                reader.GetStringOrNull(4),
                reader.GetTimeOrNull(5),
                reader.GetBoolean(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9),
                LinkFeatures.Parse(reader.GetStringOrNull(10))));
        }

        return (links, ids);
    }
}
