using LinkTracker.Core.Clicks;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// The write budget in the catalog (0004_write_budget.sql): one row that every writer of this database updates. The
/// row lock orders concurrent takers; a taker whose slot another took in the meantime finds next_slot in the future
/// and is told how long to wait. Times are the database's clock, so the writers' clocks never matter.
/// </summary>
public sealed class PostgresWriteBudgetStore(PostgresDatabases databases) : IWriteBudgetStore
{
    public async Task<WriteSlot> TryTakeAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var batch = databases.Runtime.CreateBatch();
        var take = new NpgsqlBatchCommand("""
            WITH c AS (SELECT t, date_trunc('second', t) AS s FROM (SELECT clock_timestamp() AS t) n)
            UPDATE catalog.write_budget b SET
                next_slot = c.t + $1,
                previous_granted = CASE WHEN b.second = c.s THEN b.previous_granted
                                        WHEN b.second = c.s - interval '1 second' THEN b.granted ELSE 0 END,
                granted = CASE WHEN b.second = c.s THEN b.granted + 1 ELSE 1 END,
                second = c.s
            FROM c WHERE b.next_slot <= c.t
            RETURNING c.t
            """);
        take.Parameters.Add(PostgresValues.Of(interval));
        batch.BatchCommands.Add(take);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT greatest(next_slot - clock_timestamp(), interval '0') FROM catalog.write_budget"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            return new WriteSlot(true, reader.GetFieldValue<DateTimeOffset>(0), TimeSpan.Zero);
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WriteSlot(false, default, reader.GetFieldValue<TimeSpan>(0));
    }

    public Task<WriteBudgetUse> ReadUseAsync(CancellationToken cancellationToken) => databases.Runtime.ReadAsync(
        async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT CASE WHEN b.second = c.s THEN b.previous_granted WHEN b.second = c.s - interval '1 second' THEN b.granted ELSE 0 END,
                       CASE WHEN b.second = c.s THEN b.granted ELSE 0 END
                FROM catalog.write_budget b, (SELECT date_trunc('second', clock_timestamp()) AS s) c
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new WriteBudgetUse(reader.GetInt32(0), reader.GetInt32(1));
        },
        cancellationToken);
}
