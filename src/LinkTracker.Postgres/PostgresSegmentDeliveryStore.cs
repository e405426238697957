using LinkTracker.Core.Webhooks;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>Segments' schedules and webhooks in the tenant's schema (0009_webhooks.sql).</summary>
public sealed class PostgresSegmentDeliveryStore(PostgresDatabases databases) : ISegmentDeliveryStore
{
    private const string Columns = "d.segment_id, d.schedule, d.webhook_url, d.webhook_secret, d.updated_at";

    public async Task<SegmentDelivery?> GetAsync(string tenant, string segmentId, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, PostgresClickWebhookStore.WebhooksVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT {Columns} FROM segment_deliveries d WHERE d.segment_id = $1");
        command.Parameters.Add(PostgresValues.Text(segmentId));
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task SaveAsync(string tenant, SegmentDelivery delivery, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, PostgresClickWebhookStore.WebhooksVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO segment_deliveries (segment_id, schedule, webhook_url, webhook_secret, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (segment_id) DO UPDATE SET schedule = excluded.schedule, webhook_url = excluded.webhook_url,
                webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(PostgresValues.Text(delivery.SegmentId));
        command.Parameters.Add(PostgresValues.Text(delivery.Schedule));
        command.Parameters.Add(PostgresValues.Text(delivery.WebhookUrl));
        command.Parameters.Add(PostgresValues.Text(delivery.WebhookSecret));
        command.Parameters.Add(PostgresValues.Time(delivery.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentDelivery>> ListScheduledAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, PostgresClickWebhookStore.WebhooksVersion, cancellationToken);
        await using var command = transaction.Command(
            $"SELECT {Columns} FROM segment_deliveries d JOIN segments s ON s.id = d.segment_id WHERE d.schedule IS NOT NULL ORDER BY d.segment_id COLLATE \"C\"");
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<SegmentDelivery>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<SegmentDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new SegmentDelivery(reader.GetString(0), reader.GetStringOrNull(1), reader.GetStringOrNull(2), reader.GetStringOrNull(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return found;
    }
}
