using LinkTracker.Core.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// Deletes old raw clicks a chunk per transaction, oldest first, so each write lock is short and the click writer
/// gets its turns in between. Rollups and first_seen are not touched. Clicks are found by their primary key: a
/// click's id is a UUIDv7 minted from its own time, so "before T" is "id below the smallest UUIDv7 of T" and
/// needs no index on the time (which would cost the writer one more index write per click).
/// </summary>
public sealed class SqliteClickRetention(SqliteDatabases databases) : IClickRetention
{
    private const int ChunkSize = 5_000;
    private static readonly TimeSpan PauseBetweenChunks = TimeSpan.FromMilliseconds(10);

    public async Task<long> DeleteClicksBeforeAsync(string tenant, DateTimeOffset before, CancellationToken cancellationToken)
    {
        if (!databases.TenantExists(tenant))
        {
            // No database, no clicks: opening it would create one for a tenant that may be gone.
            return 0;
        }

        long deleted = 0;
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.Command(
                "DELETE FROM clicks WHERE id IN (SELECT id FROM clicks WHERE id < $before ORDER BY id LIMIT $chunk)", transaction);
            command.Parameters.AddWithValue("$before", SmallestIdAt(before));
            command.Parameters.AddWithValue("$chunk", ChunkSize);
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            deleted += rows;
            if (rows < ChunkSize)
            {
                return deleted;
            }

            // Let the click writer's transaction in before the next chunk.
            await Task.Delay(PauseBetweenChunks, cancellationToken);
        }
    }

    /// <summary>The 16 big-endian bytes of the smallest UUIDv7 of that millisecond, as SQLite compares the id blobs.</summary>
    internal static byte[] SmallestIdAt(DateTimeOffset at) => ClickIdBounds.SmallestAt(at).ToByteArray(bigEndian: true);
}
