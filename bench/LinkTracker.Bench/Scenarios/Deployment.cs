using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>A fresh linktracker: its own data folder, its tenants (added before it starts), their API clients.</summary>
public sealed class Deployment : IAsyncDisposable
{
    /// <summary>
    /// The bench's own API calls (link creation, click audit, stats timing) are not what it measures, so the
    /// tenant API rate limit is lifted; redirects are never limited by it anyway.
    /// </summary>
    public static readonly string[] BenchSettings = ["Api:RequestsPerSecondPerTenant=100000", "Api:BurstPerTenant=100000"];

    private readonly Dictionary<string, TenantClient> _tenants = new(StringComparer.Ordinal);
    private bool _stopped;

    private Deployment(ServerProcess server, string dataDirectory)
    {
        Server = server;
        DataDirectory = dataDirectory;
        Ops = new OpsClient(server.Address);
    }

    public ServerProcess Server { get; }

    public string DataDirectory { get; }

    public OpsClient Ops { get; }

    public TenantClient this[string slug] => _tenants[slug];

    public static async Task<Deployment> StartAsync(
        BenchContext context, string name, IReadOnlyList<string> tenants, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var data = context.NewFolder(name);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in tenants)
        {
            keys[slug] = (await LinkTrackerCli.AddTenantAsync(context.Paths, data, slug, cancellationToken)).ApiKey;
        }

        return await StartAsync(context, data, keys, settings, cancellationToken);
    }

    /// <summary>Starts linktracker on an existing data folder whose tenants' keys are known.</summary>
    public static async Task<Deployment> StartAsync(
        BenchContext context, string data, IReadOnlyDictionary<string, string> keys, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var server = await ServerProcess.StartLinkTrackerAsync(context.Paths, data, [.. BenchSettings, .. settings, .. context.ExtraSettings], cancellationToken);
        var deployment = new Deployment(server, data);
        foreach (var (slug, key) in keys)
        {
            deployment._tenants[slug] = new TenantClient(server.Address, slug, key);
        }

        return deployment;
    }

    /// <summary>SIGTERM and wait; the log's warnings and errors go to the report.</summary>
    public async Task StopAsync(ScenarioReport report)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var exit = await Server.StopAsync(TimeSpan.FromSeconds(30));
        if (exit != 0)
        {
            report.ServiceProblems.Add($"linktracker exited with code {exit} after SIGTERM");
        }

        report.ServiceProblems.AddRange(Server.Problems);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tenant in _tenants.Values)
        {
            tenant.Dispose();
        }

        Ops.Dispose();
        await Server.DisposeAsync();
    }
}
