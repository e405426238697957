using LinkTracker.Core.Dashboard;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>What every dashboard user store must do; one subclass per engine runs the same assertions.</summary>
public abstract class DashboardUserStoreContract
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-02T03:00:00.123Z");

    /// <summary>The store, with the fresh, provisioned tenants acme and globex.</summary>
    protected abstract Task<IDashboardUserStore> CreateAsync();

    private static DashboardUser User(string email, string role = "viewer", string hash = "hash-1", DateTimeOffset? at = null) =>
        new(email, role, hash, 0, null, at ?? T0, at ?? T0);

    [Fact]
    public async Task A_saved_user_is_found_and_listed_by_email_on_its_tenant_only()
    {
        var store = await CreateAsync();
        await store.SaveAsync("acme", User("zoe@example.com", "editor"), CancellationToken.None);
        await store.SaveAsync("acme", User("ana@example.com"), CancellationToken.None);

        Assert.Equal(User("zoe@example.com", "editor"), await store.FindAsync("acme", "zoe@example.com", CancellationToken.None));
        Assert.Equal(["ana@example.com", "zoe@example.com"], (await store.ListAsync("acme", CancellationToken.None)).Select(u => u.Email));
        Assert.Null(await store.FindAsync("acme", "nobody@example.com", CancellationToken.None));
        Assert.Null(await store.FindAsync("globex", "zoe@example.com", CancellationToken.None));
        Assert.Empty(await store.ListAsync("globex", CancellationToken.None));
    }

    [Fact]
    public async Task Saving_again_replaces_role_and_password_clears_failures_and_keeps_the_creation_time()
    {
        var store = await CreateAsync();
        await store.SaveAsync("acme", User("ana@example.com"), CancellationToken.None);
        await store.RecordFailedSignInAsync("acme", "ana@example.com", 5, T0.AddMinutes(15), CancellationToken.None);

        await store.SaveAsync("acme", User("ana@example.com", "editor", "hash-2", T0.AddHours(1)), CancellationToken.None);

        Assert.Equal(
            new DashboardUser("ana@example.com", "editor", "hash-2", 0, null, T0, T0.AddHours(1)),
            await store.FindAsync("acme", "ana@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_user_is_gone_until_added_again()
    {
        var store = await CreateAsync();
        await store.SaveAsync("acme", User("ana@example.com"), CancellationToken.None);

        Assert.True(await store.RemoveAsync("acme", "ana@example.com", T0.AddHours(1), CancellationToken.None));
        Assert.False(await store.RemoveAsync("acme", "ana@example.com", T0.AddHours(2), CancellationToken.None));
        Assert.Null(await store.FindAsync("acme", "ana@example.com", CancellationToken.None));
        Assert.Empty(await store.ListAsync("acme", CancellationToken.None));
        Assert.False(await store.RecordFailedSignInAsync("acme", "ana@example.com", 1, T0.AddHours(3), CancellationToken.None));

        await store.SaveAsync("acme", User("ana@example.com", hash: "hash-3", at: T0.AddHours(4)), CancellationToken.None);
        Assert.Equal(User("ana@example.com", hash: "hash-3", at: T0.AddHours(4)), await store.FindAsync("acme", "ana@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task The_nth_failure_locks_and_restarts_the_count_and_a_sign_in_clears_it()
    {
        var store = await CreateAsync();
        await store.SaveAsync("acme", User("ana@example.com"), CancellationToken.None);
        var until = T0.AddMinutes(15);

        Assert.False(await store.RecordFailedSignInAsync("acme", "ana@example.com", 3, until, CancellationToken.None));
        await store.RecordSignInAsync("acme", "ana@example.com", T0, CancellationToken.None);
        Assert.Equal(0, (await store.FindAsync("acme", "ana@example.com", CancellationToken.None))!.FailedSignIns);

        Assert.False(await store.RecordFailedSignInAsync("acme", "ana@example.com", 3, until, CancellationToken.None));
        Assert.False(await store.RecordFailedSignInAsync("acme", "ana@example.com", 3, until, CancellationToken.None));
        Assert.Equal(2, (await store.FindAsync("acme", "ana@example.com", CancellationToken.None))!.FailedSignIns);
        Assert.True(await store.RecordFailedSignInAsync("acme", "ana@example.com", 3, until, CancellationToken.None));

        var locked = await store.FindAsync("acme", "ana@example.com", CancellationToken.None);
        Assert.Equal((0, until), (locked!.FailedSignIns, locked.LockedUntil));
    }

    [Fact]
    public async Task Concurrent_failures_all_count_and_exactly_one_locks()
    {
        var store = await CreateAsync();
        await store.SaveAsync("acme", User("ana@example.com"), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            store.RecordFailedSignInAsync("acme", "ana@example.com", 8, T0.AddMinutes(15), CancellationToken.None)));

        Assert.Single(results, locked => locked);
        Assert.Equal(T0.AddMinutes(15), (await store.FindAsync("acme", "ana@example.com", CancellationToken.None))!.LockedUntil);
    }
}

public sealed class SqliteDashboardUserStoreTests : DashboardUserStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<IDashboardUserStore> CreateAsync()
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync("acme", CancellationToken.None);
        await new SqliteTenantProvisioner(databases).ProvisionAsync("globex", CancellationToken.None);
        return new SqliteDashboardUserStore(databases);
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresDashboardUserStoreTests : DashboardUserStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected override async Task<IDashboardUserStore> CreateAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        await new PostgresTenantProvisioner(_database.Provisioning).ProvisionAsync("globex", CancellationToken.None);
        return new PostgresDashboardUserStore(_database.Runtime);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
