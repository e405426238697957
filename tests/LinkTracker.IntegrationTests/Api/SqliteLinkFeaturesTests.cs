namespace LinkTracker.IntegrationTests.Api;

public sealed class SqliteLinkFeaturesTests : LinkFeaturesTests
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>([]);
}
