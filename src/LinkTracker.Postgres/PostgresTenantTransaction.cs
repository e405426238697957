using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// A transaction on a connection of one tenant's own login (ADR 12), with search_path = the tenant's schema:
/// unqualified names reach that tenant's tables, and no statement reaches another tenant's. Rolled back unless committed.
/// </summary>
public sealed class PostgresTenantTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, IDisposable? lease = null) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            lease?.Dispose(); // the connection is back in its tenant's pool: free the slot
        }
    }
}
