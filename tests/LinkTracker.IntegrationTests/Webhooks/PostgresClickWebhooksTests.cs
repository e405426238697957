using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Webhooks;

public sealed class PostgresClickWebhooksTests : ClickWebhooksContract, IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<TestService> StartAsync(params string[] settings)
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return await TestService.StartAsync([.. _database.ServiceSettings(), .. settings]);
    }
}
