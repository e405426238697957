using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

public sealed class ServeRolesCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Serve_refuses_an_edge_it_cannot_run_and_says_what_to_set()
    {
        var (exitCode, _, error) = await LinkTrackerCommand.RunAsync(
            "serve", "--role", "edge", "--data", _data.Path, "--Storage:Postgres=Host=db;Username=app;Password=secret");

        Assert.Equal(2, exitCode);
        Assert.Contains("set RabbitMq:Uri", error, StringComparison.Ordinal);
        Assert.Contains("set Internal:ApiUrls", error, StringComparison.Ordinal);
        Assert.Contains("remove Storage:Postgres", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // a message, not a stack trace
    }
}
