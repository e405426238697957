using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// A transaction of the runtime login under one tenant's role (SET LOCAL ROLE) with search_path = the tenant's
/// schema: unqualified names reach that tenant's tables, and no other tenant's. Rolled back unless committed.
/// </summary>
public sealed class PostgresTenantTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
