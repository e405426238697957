using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;

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

        await using (var terminate = _database.Owner.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        {
            Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1);
        }

        await Task.Delay(200); // the farewell messages reach the idle sockets
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("https://example.com/a", (await links.FindAsync("acme", "a", CancellationToken.None))!.Destination);
        }
    }
}
