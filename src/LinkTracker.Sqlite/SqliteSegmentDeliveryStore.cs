using LinkTracker.Core.Webhooks;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>Segments' schedules and webhooks in the tenant's own database (0009_webhooks.sql).</summary>
public sealed class SqliteSegmentDeliveryStore(SqliteDatabases databases) : ISegmentDeliveryStore
{
    private const string Columns = "d.segment_id, d.schedule, d.webhook_url, d.webhook_secret, d.updated_at";

    public async Task<SegmentDelivery?> GetAsync(string tenant, string segmentId, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM segment_deliveries d WHERE d.segment_id = $id");
        command.Parameters.AddWithValue("$id", segmentId);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task SaveAsync(string tenant, SegmentDelivery delivery, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO segment_deliveries (segment_id, schedule, webhook_url, webhook_secret, updated_at) VALUES ($id, $schedule, $url, $secret, $at)
            ON CONFLICT (segment_id) DO UPDATE SET schedule = excluded.schedule, webhook_url = excluded.webhook_url,
                webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("$id", delivery.SegmentId);
        command.Parameters.AddWithValue("$schedule", SqliteValues.ToDb(delivery.Schedule));
        command.Parameters.AddWithValue("$url", SqliteValues.ToDb(delivery.WebhookUrl));
        command.Parameters.AddWithValue("$secret", SqliteValues.ToDb(delivery.WebhookSecret));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(delivery.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentDelivery>> ListScheduledAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM segment_deliveries d JOIN segments s ON s.id = d.segment_id WHERE d.schedule IS NOT NULL ORDER BY d.segment_id");
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<SegmentDelivery>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<SegmentDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new SegmentDelivery(reader.GetString(0), reader.GetStringOrNull(1), reader.GetStringOrNull(2), reader.GetStringOrNull(3),
                SqliteValues.FromUnixMs(reader.GetInt64(4))));
        }

        return found;
    }
}
