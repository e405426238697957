using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Webhooks;

public sealed class SqliteClickWebhooksTests : ClickWebhooksContract
{
    protected override Task<TestService> StartAsync(params string[] settings) => TestService.StartAsync(settings);
}
