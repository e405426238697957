using System.Data;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// Reads on a shared pool (the runtime login's catalog reads) that survive the server ending the pool's idle
/// connections: a restart, or an administrator's pg_terminate_backend. Such a connection fails its next use with the
/// connection broken (the queued FATAL 57P01/57P02, or the socket's error); the pool's idle connections are then
/// cleared and the read runs once more on a new one. A tenant's transactions do the same in
/// <see cref="PostgresDatabases.BeginTenantAsync(string, CancellationToken)"/>.
/// </summary>
internal static class PostgresReads
{
    /// <summary>
    /// Runs <paramref name="read"/> on a connection of <paramref name="source"/>, once more on a new connection when the
    /// pooled one turned out dead. For reads only: a write whose connection broke may have run.
    /// </summary>
    public static async Task<T> ReadAsync<T>(this NpgsqlDataSource source, Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            try
            {
                return await read(connection);
            }
            catch (NpgsqlException) when (attempt == 0 && connection.State is ConnectionState.Broken or ConnectionState.Closed)
            {
                source.Clear();
            }
        }
    }
}
