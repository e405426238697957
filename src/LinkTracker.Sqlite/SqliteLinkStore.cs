using System.Globalization;
using LinkTracker.Core.Common;
using LinkTracker.Core.Links;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

public sealed class SqliteLinkStore(SqliteDatabases databases) : ILinkStore
{
    private const char TagSeparator = '\u001f';

    private const string SelectLinks = """
        SELECT id, code, destination, campaign, expires_at, disabled, created_at, updated_at,
               (SELECT group_concat(tag, char(31)) FROM link_tags WHERE link_id = links.id), legacy_status, features
        FROM links
        """;

    public async Task<IReadOnlyList<string>> InsertAsync(string tenant, IReadOnlyList<Link> links, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var taken = new List<string>();
        await using (var exists = connection.Command("SELECT 1 FROM links WHERE code = $code", transaction))
        {
            var code = exists.Parameters.Add("$code", SqliteType.Text);
            foreach (var link in links)
            {
                code.Value = link.Code;
                if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
                {
                    taken.Add(link.Code);
                }
            }
        }

        if (taken.Count > 0)
        {
            return taken;
        }

        await using var insert = connection.Command("""
            INSERT INTO links (code, destination, campaign, expires_at, disabled, created_at, updated_at, features)
            VALUES ($code, $destination, $campaign, $expires, $disabled, $created, $updated, $features)
            RETURNING id
            """, transaction);
        await using var insertTag = connection.Command("INSERT OR IGNORE INTO link_tags (link_id, tag) VALUES ($id, $tag)", transaction);
        foreach (var link in links)
        {
            insert.Parameters.Clear();
            AddLinkParameters(insert, link);
            insert.Parameters.AddWithValue("$created", SqliteValues.ToUnixMs(link.CreatedAt));
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            await InsertTagsAsync(insertTag, id, link.Tags, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return taken;
    }

    public async Task<bool> ExistsAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("SELECT 1 FROM links WHERE code = $code");
        command.Parameters.AddWithValue("$code", code);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task ReadCodesAsync(string tenant, Action<string> add, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("SELECT code FROM links");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            add(reader.GetString(0));
        }
    }

    public async Task<Link?> FindAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command(SelectLinks + " WHERE code = $code AND deleted_at IS NULL");
        command.Parameters.AddWithValue("$code", code);
        var (links, _) = await ReadLinksAsync(command, int.MaxValue, cancellationToken);
        return links.Count == 0 ? null : links[0];
    }

    public async Task<Page<Link>> ListAsync(string tenant, LinkQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        var sql = SelectLinks + " WHERE deleted_at IS NULL AND ($after IS NULL OR id < $after)";
        if (query.Campaign is not null)
        {
            sql += " AND campaign = $campaign";
        }

        if (query.Tag is not null)
        {
            sql += " AND id IN (SELECT link_id FROM link_tags WHERE tag = $tag)";
        }

        if (query.Text is not null)
        {
            // No index serves an infix match: the scan walks the primary key newest first and stops at a full page (ADR 23).
            sql += """
                 AND (instr(lower(code), $text) > 0 OR instr(lower(destination), $text) > 0 OR instr(lower(campaign), $text) > 0
                      OR EXISTS (SELECT 1 FROM link_tags t WHERE t.link_id = links.id AND instr(lower(t.tag), $text) > 0)
                      OR EXISTS (SELECT 1 FROM imported_links i WHERE i.code = links.code AND instr(lower(i.title), $text) > 0))
                """;
        }

        await using var command = connection.Command(sql + " ORDER BY id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$after", query.After is null ? DBNull.Value : ParseCursor(query.After));
        command.Parameters.AddWithValue("$campaign", SqliteValues.ToDb(query.Campaign));
        command.Parameters.AddWithValue("$tag", SqliteValues.ToDb(query.Tag));
        command.Parameters.AddWithValue("$text", SqliteValues.ToDb(query.Text?.ToLowerInvariant()));
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var (links, ids) = await ReadLinksAsync(command, query.Limit, cancellationToken);
        return new Page<Link>(links, ids.Count > query.Limit ? ids[query.Limit - 1].ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<bool> UpdateAsync(string tenant, Link link, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.Command("""
            UPDATE links SET destination = $destination, campaign = $campaign, expires_at = $expires,
                             disabled = $disabled, updated_at = $updated, features = $features
            WHERE code = $code AND deleted_at IS NULL
            RETURNING id
            """, transaction);
        AddLinkParameters(update, link);
        if (await update.ExecuteScalarAsync(cancellationToken) is not long id)
        {
            return false;
        }

        await using (var clear = connection.Command("DELETE FROM link_tags WHERE link_id = $id", transaction))
        {
            clear.Parameters.AddWithValue("$id", id);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insertTag = connection.Command("INSERT OR IGNORE INTO link_tags (link_id, tag) VALUES ($id, $tag)", transaction);
        await InsertTagsAsync(insertTag, id, link.Tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string tenant, string code, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command(
            "UPDATE links SET deleted_at = $at, updated_at = $at WHERE code = $code AND deleted_at IS NULL");
        command.Parameters.AddWithValue("$code", code);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static long ParseCursor(string cursor) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new InvalidCursorException();

    private static void AddLinkParameters(SqliteCommand command, Link link)
    {
        command.Parameters.AddWithValue("$code", link.Code);
        command.Parameters.AddWithValue("$destination", link.Destination);
        command.Parameters.AddWithValue("$campaign", SqliteValues.ToDb(link.Campaign));
        command.Parameters.AddWithValue("$expires", SqliteValues.ToDb(link.ExpiresAt));
        command.Parameters.AddWithValue("$disabled", link.Disabled ? 1 : 0);
        command.Parameters.AddWithValue("$updated", SqliteValues.ToUnixMs(link.UpdatedAt));
        command.Parameters.AddWithValue("$features", SqliteValues.ToDb(LinkFeatures.Serialize(link.Features)));
    }

    private static async Task InsertTagsAsync(SqliteCommand insertTag, long linkId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
        {
            insertTag.Parameters.Clear();
            insertTag.Parameters.AddWithValue("$id", linkId);
            insertTag.Parameters.AddWithValue("$tag", tag);
            await insertTag.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<(List<Link> Links, List<long> Ids)> ReadLinksAsync(SqliteCommand command, int limit, CancellationToken cancellationToken)
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

            var tags = reader.GetStringOrNull(8)?.Split(TagSeparator) ?? [];
            Array.Sort(tags, StringComparer.Ordinal);
            links.Add(new Link(
                reader.GetString(1),
                reader.GetString(2),
                tags,
                reader.GetStringOrNull(3),
                reader.GetTimeOrNull(4),
                reader.GetInt64(5) != 0,
                SqliteValues.FromUnixMs(reader.GetInt64(6)),
                SqliteValues.FromUnixMs(reader.GetInt64(7)),
                reader.IsDBNull(9) ? null : reader.GetInt32(9),
                LinkFeatures.Parse(reader.GetStringOrNull(10))));
        }

        return (links, ids);
    }
}
