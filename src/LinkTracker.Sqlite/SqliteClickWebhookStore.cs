using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Webhooks;

namespace LinkTracker.Sqlite;

/// <summary>The click webhook and its cursor in the tenant's own database (0009_webhooks.sql); clicks read by primary key range.</summary>
public sealed class SqliteClickWebhookStore(SqliteDatabases databases) : IClickWebhookStore
{
    public async Task<ClickWebhook?> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command(
            "SELECT url, secret, campaigns, tags, cursor, updated_at FROM click_webhook WHERE id = 1 AND url IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClickWebhook(reader.GetString(0), reader.GetString(1), Strings(reader.GetString(2)), Strings(reader.GetString(3)),
                reader.GetUuid(4), SqliteValues.FromUnixMs(reader.GetInt64(5)))
            : null;
    }

    public async Task<ClickWebhook> SaveAsync(string tenant, ClickWebhook webhook, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // The cursor stays where it is while a webhook is set; a new webhook (none, or removed before) starts at the given one.
        await using var command = connection.Command("""
            INSERT INTO click_webhook (id, url, secret, campaigns, tags, cursor, updated_at) VALUES (1, $url, $secret, $campaigns, $tags, $cursor, $at)
            ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, campaigns = excluded.campaigns, tags = excluded.tags,
                cursor = CASE WHEN click_webhook.url IS NULL THEN excluded.cursor ELSE click_webhook.cursor END, updated_at = excluded.updated_at
            RETURNING cursor
            """);
        command.Parameters.AddWithValue("$url", webhook.Url);
        command.Parameters.AddWithValue("$secret", webhook.Secret);
        command.Parameters.AddWithValue("$campaigns", JsonSerializer.Serialize(webhook.Campaigns));
        command.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(webhook.Tags));
        command.Parameters.AddWithValue("$cursor", SqliteValues.ToBytes(webhook.Cursor));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(webhook.UpdatedAt));
        var cursor = (byte[])(await command.ExecuteScalarAsync(cancellationToken))!;
        return webhook with { Cursor = new Guid(cursor, bigEndian: true) };
    }

    public async Task<bool> RemoveAsync(string tenant, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("UPDATE click_webhook SET url = NULL, secret = NULL, updated_at = $at WHERE id = 1 AND url IS NOT NULL");
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<WebhookClick>> ReadClicksAsync(string tenant, Guid after, Guid before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            SELECT c.id, c.code, c.recipient, c.at, c.user_agent, c.referrer, c.client_address, c.flags, COALESCE(l.campaign, s.campaign),
                   (SELECT json_group_array(t.tag) FROM link_tags t WHERE t.link_id = l.id)
            FROM clicks c LEFT JOIN links l ON l.code = c.code LEFT JOIN signed_links s ON s.code = c.code -- a signed link's campaign (ADR 26)
            WHERE c.id > $after AND c.id < $before ORDER BY c.id LIMIT $limit
            """);
        command.Parameters.AddWithValue("$after", SqliteValues.ToBytes(after));
        command.Parameters.AddWithValue("$before", SqliteValues.ToBytes(before));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clicks = new List<WebhookClick>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var click = new Click(reader.GetUuid(0), tenant, reader.GetString(1), reader.GetStringOrNull(2), SqliteValues.FromUnixMs(reader.GetInt64(3)),
                reader.GetStringOrNull(4), reader.GetStringOrNull(5), reader.GetStringOrNull(6), (ClickFlags)reader.GetInt32(7));
            clicks.Add(new WebhookClick(click, reader.GetStringOrNull(8), reader.IsDBNull(9) ? [] : Strings(reader.GetString(9))));
        }

        return clicks;
    }

    public async Task<bool> AdvanceAsync(string tenant, Guid from, Guid to, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("UPDATE click_webhook SET cursor = $to WHERE id = 1 AND cursor = $from AND url IS NOT NULL");
        command.Parameters.AddWithValue("$from", SqliteValues.ToBytes(from));
        command.Parameters.AddWithValue("$to", SqliteValues.ToBytes(to));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string[] Strings(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
