using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Tenants;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>
/// Pooled connections that the server ended (a restart, or an administrator's pg_terminate_backend, which first sends
/// FATAL 57P01) are replaced on the next use: the caller gets its answer, not the dead connection's error.
/// </summary>
public sealed class PostgresDroppedConnectionTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_tenant_s_pooled_connections_ended_by_the_server_are_replaced_without_an_error()
    {
        var provisioning = new PostgresLinkStore(_database.Provisioning);
        await provisioning.InsertAsync("acme", [new Link("a", "https://example.com/a", [], null, null, false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)], CancellationToken.None);
        var links = new PostgresLinkStore(_database.Runtime);
        // Several connections in the tenant's pool, all idle afterwards.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => links.FindAsync("acme", "a", CancellationToken.None)));

        await TerminateOthersAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("https://example.com/a", (await links.FindAsync("acme", "a", CancellationToken.None))!.Destination);
        }
    }

    /// <summary>
    /// The runtime login's catalog reads (every API call's key lookup among them) replace a dead pooled connection too:
    /// after a PostgreSQL restart the first API call of a node answered 500 when its key lookup met one (CI, session 23).
    /// </summary>
    [Fact]
    public async Task The_runtime_login_s_catalog_reads_replace_pooled_connections_ended_by_the_server()
    {
        await new PostgresCatalogStore(_database.Provisioning).MigrateAsync(CancellationToken.None);
        var catalog = new PostgresCatalogStore(_database.Runtime);
        var at = DateTimeOffset.UtcNow;
        await catalog.AddTenantAsync(new Tenant("acme", "Acme", at), CancellationToken.None);
        var (id, _, hash) = ApiKeys.Generate();
        await catalog.AddApiKeyAsync(new ApiKey(id, "acme", hash, null, at, null), CancellationToken.None);
        var signingKeys = new LinkTracker.Postgres.PostgresSigningKeyStore(_database.Runtime);
        var budget = new PostgresWriteBudgetStore(_database.Runtime);
        // Several idle connections in the runtime login's pool.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => catalog.FindApiKeyAsync(hash, null, CancellationToken.None)));

        foreach (var read in (Func<Task>[])[
            async () => Assert.Equal(id, (await catalog.FindApiKeyAsync(hash, null, CancellationToken.None))!.Id),
            async () => Assert.Equal("acme", Assert.Single(await catalog.ListTenantsAsync(CancellationToken.None)).Slug),
            async () => Assert.Single(await catalog.ListApiKeysAsync("acme", CancellationToken.None)),
            async () => Assert.Empty(await signingKeys.ListAsync("acme", CancellationToken.None)),
            async () => await budget.ReadUseAsync(CancellationToken.None),
        ])
        {
            await TerminateOthersAsync();
            await read();
        }
    }

    private async Task TerminateOthersAsync()
    {
        await using (var terminate = _database.Owner.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        {
            Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1);
        }

        await Task.Delay(200); // the farewell messages reach the idle sockets
    }
}
