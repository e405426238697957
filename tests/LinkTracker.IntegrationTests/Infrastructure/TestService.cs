using LinkTracker.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.Runbook;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>The real web host on 127.0.0.1 with a free port and its own data folder.</summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestService(WebApplication app, string data)
    {
        _app = app;
        DataDirectory = data;
        Address = new Uri(app.Urls.Single());
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    public ClickMetrics Metrics => Services.GetRequiredService<ClickMetrics>();

    /// <param name="settings">Configuration overrides such as "Writer:MaxTransactionsPerSecond=5".</param>
    public static async Task<TestService> StartAsync(params string[] settings)
    {
        var data = Directory.CreateTempSubdirectory("linktracker-test-").FullName;
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={data}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => "--" + s),
        ];
        var app = Program.BuildApp(args);
        await app.StartAsync();
        return new TestService(app, data);
    }

    /// <summary>Like <see cref="StartAsync(string[])"/>, with test-only services added to the host (e.g. a job handler).</summary>
    /// <param name="configureServices">Runs after the application registered its services, so it may add or replace any.</param>
    /// <param name="settings">Configuration overrides such as "Jobs:MaxAttempts=3".</param>
    public static async Task<TestService> StartAsync(Action<IServiceCollection> configureServices, params string[] settings)
    {
        var data = Directory.CreateTempSubdirectory("linktracker-test-").FullName;
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={data}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => "--" + s),
        ];
        var app = HostBuildingHook.Build(configureServices, () => Program.BuildApp(args));
        await app.StartAsync();
        return new TestService(app, data);
    }

    /// <summary>The operator token this service generated in its data folder (no Ops:Token is configured in tests).</summary>
    public string OpsToken => OpsCredential.ReadFile(DataDirectory) ?? throw new InvalidOperationException("no ops-token in the data folder");

    /// <summary>A client for the operator endpoints (/ops, /metrics), served on the base domain only, with the operator token.</summary>
    public HttpClient OpsClient() => Clients.Ops(Address, "localhost", OpsToken);

    /// <summary>Waits until no job waits or runs (or fails after the timeout); a job waiting for a retry counts as waiting.</summary>
    public async Task WaitForJobsAsync(TimeSpan? timeout = null)
    {
        var queue = Services.GetRequiredService<IJobQueue>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var counts = await queue.CountAsync(CancellationToken.None);
            if (counts.Waiting == 0 && counts.Leased == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{counts.Waiting} jobs still waiting and {counts.Leased} running after the timeout");
            await Task.Delay(25);
        }
    }

    public async Task<string> AddTenantAsync(string slug)
    {
        var created = await Services.GetRequiredService<TenantAdmin>().AddTenantAsync(slug, null, CancellationToken.None);
        await Services.GetRequiredService<TenantDirectory>().ReloadAsync(CancellationToken.None);
        return created.ApiKey;
    }

    public HttpClient Client(string tenant, string? apiKey = null) => Clients.For(Address, $"{tenant}.localhost", apiKey);

    /// <summary>Waits until every captured click has been written (or fails after the timeout).</summary>
    public async Task WaitForWriterAsync(TimeSpan? timeout = null)
    {
        var pending = Services.GetRequiredService<PendingClicks>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (pending.Total > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{pending.Total} clicks still unwritten after the timeout");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may linger a moment; the temp folder is cleaned by the OS.
        }
    }
}
