using LinkTracker.Core.Clicks;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// Deletes old raw clicks of a tenant in chunks, each in a short transaction under the tenant's role, oldest first.
/// "Before T" is "id below the smallest UUIDv7 of T", which the monthly id-range partitions prune to the old months.
/// Rollups and first_seen stay, so stats do not change.
/// </summary>
public sealed class PostgresClickRetention(PostgresDatabases databases) : IClickRetention
{
    private const int ChunkSize = 10_000;
    private static readonly TimeSpan PauseBetweenChunks = TimeSpan.FromMilliseconds(10);

    public async Task<long> DeleteClicksBeforeAsync(string tenant, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var bound = ClickIdBounds.SmallestAt(before);
        long deleted = 0;
        while (true)
        {
            await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
            await using var command = transaction.Command("DELETE FROM clicks WHERE id IN (SELECT id FROM clicks WHERE id < $1 ORDER BY id LIMIT $2)");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = bound });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ChunkSize });
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            deleted += rows;
            if (rows < ChunkSize)
            {
                return deleted;
            }

            // Let the click writer's transactions in between chunks.
            await Task.Delay(PauseBetweenChunks, cancellationToken);
        }
    }
}
