using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Webhooks;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>The click webhook and its cursor in the tenant's schema (0009_webhooks.sql); clicks read by id range (a month's partition or two).</summary>
public sealed class PostgresClickWebhookStore(PostgresDatabases databases) : IClickWebhookStore
{
    /// <summary>The tenant schema version that added the webhook tables; a tenant still below gets a clear 503.</summary>
    internal static readonly int WebhooksVersion = PostgresMigrator.Scripts("Tenant")
        .ToList().FindIndex(s => s.EndsWith(".0009_webhooks.sql", StringComparison.Ordinal)) + 1;

    public async Task<ClickWebhook?> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, WebhooksVersion, cancellationToken);
        await using var command = transaction.Command(
            "SELECT url, secret, campaigns, tags, cursor, updated_at FROM click_webhook WHERE id = 1 AND url IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClickWebhook(reader.GetString(0), reader.GetString(1), Strings(reader.GetString(2)), Strings(reader.GetString(3)),
                reader.GetGuid(4), reader.GetFieldValue<DateTimeOffset>(5))
            : null;
    }

    public async Task<ClickWebhook> SaveAsync(string tenant, ClickWebhook webhook, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, WebhooksVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO click_webhook (id, url, secret, campaigns, tags, cursor, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, campaigns = excluded.campaigns, tags = excluded.tags,
                cursor = CASE WHEN click_webhook.url IS NULL THEN excluded.cursor ELSE click_webhook.cursor END, updated_at = excluded.updated_at
            RETURNING cursor
            """);
        command.Parameters.Add(PostgresValues.Text(webhook.Url));
        command.Parameters.Add(PostgresValues.Text(webhook.Secret));
        command.Parameters.Add(PostgresValues.Text(JsonSerializer.Serialize(webhook.Campaigns)));
        command.Parameters.Add(PostgresValues.Text(JsonSerializer.Serialize(webhook.Tags)));
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = webhook.Cursor });
        command.Parameters.Add(PostgresValues.Time(webhook.UpdatedAt));
        var cursor = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return webhook with { Cursor = cursor };
    }

    public async Task<bool> RemoveAsync(string tenant, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, WebhooksVersion, cancellationToken);
        await using var command = transaction.Command("UPDATE click_webhook SET url = NULL, secret = NULL, updated_at = $1 WHERE id = 1 AND url IS NOT NULL");
        command.Parameters.Add(PostgresValues.Time(at));
        var removed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public async Task<IReadOnlyList<WebhookClick>> ReadClicksAsync(string tenant, Guid after, Guid before, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, WebhooksVersion, cancellationToken);
        // A signed link's campaign is kept by code in signed_links (ADR 26), from migration 0011 on.
        var signedLinks = await databases.HasVersionAsync(transaction, tenant, PostgresClickStore.SignedLinksVersion, cancellationToken);
        await using var command = transaction.Command($"""
            SELECT c.id, c.code, c.recipient, c.at, c.user_agent, c.referrer, c.client_address, c.flags,
                   {(signedLinks ? "COALESCE(l.campaign, s.campaign)" : "l.campaign")}, l.tags
            FROM clicks c LEFT JOIN links l ON l.code = c.code{(signedLinks ? " LEFT JOIN signed_links s ON s.code = c.code" : "")}
            WHERE c.id > $1 AND c.id < $2 ORDER BY c.id LIMIT $3
            """);
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = after });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = before });
        command.Parameters.Add(PostgresValues.Of(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clicks = new List<WebhookClick>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var click = new Click(reader.GetGuid(0), tenant, reader.GetString(1), reader.GetStringOrNull(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetStringOrNull(4), reader.GetStringOrNull(5), reader.GetStringOrNull(6), (ClickFlags)reader.GetInt32(7));
            clicks.Add(new WebhookClick(click, reader.GetStringOrNull(8), reader.IsDBNull(9) ? [] : reader.GetFieldValue<string[]>(9)));
        }

        return clicks;
    }

    public async Task<bool> AdvanceAsync(string tenant, Guid from, Guid to, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, WebhooksVersion, cancellationToken);
        await using var command = transaction.Command("UPDATE click_webhook SET cursor = $2 WHERE id = 1 AND cursor = $1 AND url IS NOT NULL");
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = from });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = to });
        var moved = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    private static string[] Strings(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
