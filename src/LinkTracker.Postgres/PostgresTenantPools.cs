using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// One connection pool per tenant, logged in as the tenant's own login (ADR 12): a connection opened for one tenant
/// can never serve another, whatever SQL ran on it. At most <c>maxConnections</c> tenant connections are in use at
/// once across all tenants; a pool unused for <c>idleTime</c> is closed, and an idle connection after a minute.
/// </summary>
public sealed class PostgresTenantPools : IAsyncDisposable
{
    private static readonly TimeSpan ConnectionIdle = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, TenantPool> _pools = new(StringComparer.Ordinal);
    private readonly NpgsqlDataSource _runtime;
    private readonly IDataProtector _protector;
    private readonly Func<string, string> _roleOf;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConnections;
    private readonly long _idleMilliseconds;
    private readonly Timer _eviction;

    /// <param name="runtime">The runtime login's pool: reads the passwords from the catalog; its host, port, database and TLS settings are the tenants' too.</param>
    /// <param name="protector">Decrypts the passwords.</param>
    /// <param name="roleOf">A tenant's login name.</param>
    /// <param name="maxConnections">Tenant connections in use at once, across tenants.</param>
    /// <param name="idleTime">A pool unused this long is closed.</param>
    internal PostgresTenantPools(NpgsqlDataSource runtime, IDataProtector protector, Func<string, string> roleOf, int maxConnections, TimeSpan idleTime)
    {
        _runtime = runtime;
        _protector = protector;
        _roleOf = roleOf;
        _maxConnections = maxConnections;
        _slots = new SemaphoreSlim(maxConnections, maxConnections);
        _idleMilliseconds = (long)idleTime.TotalMilliseconds;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, idleTime.Ticks / 4));
        _eviction = new Timer(_ => EvictIdle(), null, period, period);
    }

    /// <summary>Tenants with an open pool in this process.</summary>
    public int OpenPools => _pools.Count;

    /// <summary>Tenant connections in use right now, across tenants.</summary>
    public int InUse => _maxConnections - _slots.CurrentCount;

    /// <summary>
    /// Opens a connection of the tenant's login, waiting for a free slot under the bound. The lease, disposed, gives
    /// the connection back to the tenant's pool and the slot to everyone.
    /// </summary>
    internal async Task<(NpgsqlConnection Connection, IDisposable Lease)> OpenAsync(string tenant, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var pool = await PoolAsync(tenant, cancellationToken);
                if (!pool.TryEnter())
                {
                    continue; // closed for idleness between the lookup and now
                }

                try
                {
                    var connection = await pool.Source.OpenConnectionAsync(cancellationToken);
                    return (connection, new Lease(this, pool));
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword && attempt == 0)
                {
                    // Rotated by another process (tenants rotate-credentials): read the new password once.
                    Leave(pool);
                    Close(tenant, pool);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.TooManyConnections && attempt < 5)
                {
                    // The server is full. The bound counts connections in use; every tenant's pool also keeps idle ones
                    // for a minute, so a node that served many tenants in turn can hold more than the server allows.
                    Leave(pool);
                    ClearIdleConnections();
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * (attempt + 1)), cancellationToken);
                }
                catch
                {
                    Leave(pool);
                    throw;
                }
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Closes the idle connections of every tenant's pool (those in use go on).</summary>
    private void ClearIdleConnections()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Source.Clear();
        }
    }

    /// <summary>Closes the tenant's pool, so the next connection reads its password again (after a rotation).</summary>
    public void Evict(string tenant)
    {
        if (_pools.TryGetValue(tenant, out var pool))
        {
            Close(tenant, pool);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _eviction.DisposeAsync();
        foreach (var (tenant, pool) in _pools)
        {
            _pools.TryRemove(new KeyValuePair<string, TenantPool>(tenant, pool));
            await pool.Source.DisposeAsync();
        }
    }

    private async Task<TenantPool> PoolAsync(string tenant, CancellationToken cancellationToken)
    {
        if (_pools.TryGetValue(tenant, out var pool))
        {
            return pool;
        }

        var created = new TenantPool(await CreateSourceAsync(tenant, cancellationToken));
        if (_pools.TryAdd(tenant, created))
        {
            return created;
        }

        await created.Source.DisposeAsync(); // another caller was first
        return await PoolAsync(tenant, cancellationToken);
    }

    private async Task<NpgsqlDataSource> CreateSourceAsync(string tenant, CancellationToken cancellationToken)
    {
        string? stored;
        try
        {
            stored = await _runtime.ReadAsync(
                async connection =>
                {
                    await using var read = new NpgsqlCommand("SELECT password FROM catalog.tenant_logins WHERE tenant = $1", connection);
                    read.Parameters.Add(PostgresValues.Text(tenant));
                    return (string?)await read.ExecuteScalarAsync(cancellationToken);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
        {
            stored = null;
        }

        if (stored is null)
        {
            throw new TenantLoginMissingException(tenant);
        }

        string password;
        try
        {
            password = _protector.Unprotect(stored);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The password of tenant '{tenant}' cannot be decrypted with this node's Data Protection keys: every api, worker and CLI node "
                + "must use the same key folder (Storage:KeysDirectory), the one that was used when the tenant was added.", e);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_runtime.ConnectionString)
        {
            Username = _roleOf(tenant),
            Password = password,
            SearchPath = $"{PostgresNames.TenantSchema(tenant)}, pg_temp",
            Pooling = true,
            MinPoolSize = 0,
            MaxPoolSize = _maxConnections,
            ConnectionIdleLifetime = (int)ConnectionIdle.TotalSeconds,
        };
        return NpgsqlDataSource.Create(connectionString);
    }

    private void EvictIdle()
    {
        var now = Environment.TickCount64;
        foreach (var (tenant, pool) in _pools)
        {
            if (pool.TryCloseIdle(now - _idleMilliseconds))
            {
                _pools.TryRemove(new KeyValuePair<string, TenantPool>(tenant, pool));
                _ = pool.Source.DisposeAsync().AsTask();
            }
        }
    }

    private static void Leave(TenantPool pool)
    {
        if (pool.Exit())
        {
            _ = pool.Source.DisposeAsync().AsTask();
        }
    }

    private void Close(string tenant, TenantPool pool)
    {
        _pools.TryRemove(new KeyValuePair<string, TenantPool>(tenant, pool));
        // Connections in use finish their transaction; the pool closes when the last lease comes back.
        if (pool.CloseWhenUnused())
        {
            _ = pool.Source.DisposeAsync().AsTask();
        }
    }

    /// <summary>The catalog holds no password for the tenant: provisioned before ADR 12 (or never).</summary>
    internal sealed class TenantLoginMissingException(string tenant) : Exception($"Tenant '{tenant}' has no PostgreSQL login of its own yet.");

    private sealed class TenantPool(NpgsqlDataSource source)
    {
        private readonly Lock _gate = new();
        private int _users;
        private long _lastUsed = Environment.TickCount64;
        private bool _closing;

        public NpgsqlDataSource Source { get; } = source;

        public bool TryEnter()
        {
            lock (_gate)
            {
                if (_closing)
                {
                    return false;
                }

                _users++;
                return true;
            }
        }

        /// <returns>True when the pool was closing and this was its last user: dispose it.</returns>
        public bool Exit()
        {
            lock (_gate)
            {
                _users--;
                _lastUsed = Environment.TickCount64;
                return _closing && _users == 0;
            }
        }

        public bool TryCloseIdle(long unusedSince)
        {
            lock (_gate)
            {
                if (_closing || _users > 0 || _lastUsed > unusedSince)
                {
                    return false;
                }

                _closing = true;
                return true;
            }
        }

        /// <returns>True when nobody uses the pool: dispose it now (else the last <see cref="Exit"/> says so).</returns>
        public bool CloseWhenUnused()
        {
            lock (_gate)
            {
                var first = !_closing;
                _closing = true;
                return first && _users == 0;
            }
        }
    }

    private sealed class Lease(PostgresTenantPools pools, TenantPool pool) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Leave(pool);
            pools._slots.Release();
        }
    }
}
