using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>The segments contract on the embedded engine (SQLite, a database file per tenant).</summary>
public sealed class SqliteSegmentsApiTests : SegmentsApiContract
{
    protected override Task<TestService> StartAsync(Action<IServiceCollection>? services, params string[] settings) =>
        services is null ? TestService.StartAsync(settings) : TestService.StartAsync(services, settings);
}
