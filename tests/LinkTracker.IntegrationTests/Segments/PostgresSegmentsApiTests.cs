using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>The segments contract on PostgreSQL: the tables live in the tenant's schema, reached with the tenant's own login.</summary>
public sealed class PostgresSegmentsApiTests : SegmentsApiContract
{
    private readonly List<PostgresTestDatabase> _databases = [];

    protected override async Task<TestService> StartAsync(Action<IServiceCollection>? services, params string[] settings)
    {
        // A database per service: each service of a test provisions its own tenant acme.
        var database = await PostgresTestDatabase.CreateAsync();
        _databases.Add(database);
        string[] all = [.. database.ServiceSettings(), .. settings];
        return services is null ? await TestService.StartAsync(all) : await TestService.StartAsync(services, all);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
