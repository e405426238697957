using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

public sealed class PostgresLinkFeaturesTests : LinkFeaturesTests
{
    private PostgresTestDatabase _database = null!;

    protected override async Task<string[]> SettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }

    protected override async Task CleanUpAsync() => await _database.DisposeAsync();
}
