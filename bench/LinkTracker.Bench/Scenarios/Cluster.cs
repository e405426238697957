using System.Security.Cryptography;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The distributed deployment on one machine: private PostgreSQL, Redis and RabbitMQ (scripts/services.sh), a
/// database with a NOINHERIT runtime login, tenants added with the CLI, then one api node, one worker and the edges
/// as separate linktracker processes. Edges get the broker, Redis and the api's URL, never database credentials.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly Dictionary<string, TenantClient> _tenants = new(StringComparer.Ordinal);
    private readonly List<ServerProcess> _processes = [];
    private readonly List<OpsClient> _edgeOps = [];
    private bool _stopped;

    private Cluster(PrivateServices services, BenchDatabase database)
    {
        Services = services;
        Database = database;
    }

    public PrivateServices Services { get; }

    public BenchDatabase Database { get; }

    public ServerProcess Api { get; private set; } = null!;

    public ServerProcess Worker { get; private set; } = null!;

    public List<ServerProcess> Edges { get; } = [];

    public OpsClient WorkerOps { get; private set; } = null!;

    public IReadOnlyList<OpsClient> EdgeOps => _edgeOps;

    /// <summary>A tenant's API client on the api node.</summary>
    public TenantClient this[string slug] => _tenants[slug];

    public static async Task<Cluster> StartAsync(
        BenchContext context, IReadOnlyList<string> tenants, int edges, IReadOnlyList<string> writerSettings, CancellationToken cancellationToken)
    {
        context.Log("(e) starting PostgreSQL, Redis and RabbitMQ (scripts/services.sh)");
        // Not under the bench's work folder: that one is private to root (mode 700), and the servers run as their own users.
        var folder = Path.Combine(Path.GetTempPath(), "linktracker-bench-services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var services = await PrivateServices.StartAsync(context.Paths, folder, cancellationToken);
        Cluster? cluster = null;
        try
        {
            cluster = new Cluster(services, await BenchDatabase.CreateAsync(services.Postgres, cancellationToken));
            await cluster.StartProcessesAsync(context, tenants, edges, writerSettings, cancellationToken);
            return cluster;
        }
        catch
        {
            if (cluster is null)
            {
                await services.DisposeAsync();
            }
            else
            {
                await cluster.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Edges' host and address pairs for the load generator (the tenant's host on each edge's port).</summary>
    public static IReadOnlyList<(Uri Address, string Host)> Targets(IEnumerable<ServerProcess> edges, string tenant) =>
        [.. edges.Select(e => (e.Address, $"{tenant}.localhost:{e.Port}"))];

    /// <summary>CPU used so far by each part: the edges, the api node, the worker, and the three servers (process trees).</summary>
    public CpuSample ReadCpu(ServerProcess? bare)
    {
        static TimeSpan Tree(int? pid) => pid is { } p ? ProcessTreeCpu.Read([p]) : TimeSpan.Zero;
        return new CpuSample(
            ProcessTreeCpu.Read([.. Edges.Select(e => e.Pid)]), Tree(Api.Pid), Tree(Worker.Pid), Tree(Services.PostgresPid), Tree(Services.RabbitMqPid),
            Tree(Services.RedisPid), bare?.ReadCpuTime() ?? TimeSpan.Zero);
    }

    /// <summary>Waits until the tenant's table holds at least <paramref name="count"/> clicks.</summary>
    /// <returns>Seconds waited, or NaN after the timeout.</returns>
    public async Task<double> WaitStoredAsync(string tenant, long count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (await Database.CountClicksAsync(tenant, cancellationToken) < count)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > timeout)
            {
                return double.NaN;
            }

            await Task.Delay(100, cancellationToken);
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>SIGTERM the edges first (they forward what they hold), then the worker and the api; warnings go to the report.</summary>
    public async Task StopAsync(ScenarioReport report)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var process in Enumerable.Reverse(_processes))
        {
            var exit = await process.StopAsync(TimeSpan.FromSeconds(30));
            if (exit != 0)
            {
                report.ServiceProblems.Add($"{process.Name} exited with code {exit} after SIGTERM");
            }

            report.ServiceProblems.AddRange(process.Problems.Select(p => $"{process.Name}: {p}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _tenants.Values)
        {
            client.Dispose();
        }

        foreach (var ops in _edgeOps)
        {
            ops.Dispose();
        }

        WorkerOps?.Dispose();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        await Database.DisposeAsync();
        await Services.DisposeAsync();
    }

    private async Task StartProcessesAsync(
        BenchContext context, IReadOnlyList<string> tenants, int edges, IReadOnlyList<string> writerSettings, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in tenants)
        {
            context.Log($"(e) linktracker tenants add {slug} (PostgreSQL)");
            keys[slug] = (await LinkTrackerCli.AddTenantAsync(context.Paths, context.NewFolder($"e-cli-{slug}"), slug, Database.ProvisioningEnvironment, cancellationToken)).ApiKey;
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        string[] broker = [$"RabbitMq:Uri={Services.RabbitMq}", "RabbitMq:QueuePrefix=bench"];
        string[] redis = [$"Redis:Configuration={Services.Redis}"];

        context.Log("(e) starting the api node");
        Api = await StartAsync(context, "api", [.. Deployment.BenchSettings, .. Database.RuntimeSettings, .. broker, .. redis, $"Internal:Token={token}"], cancellationToken);
        context.Log("(e) starting the worker");
        Worker = await StartAsync(context, "worker", [.. Database.RuntimeSettings, .. broker, .. writerSettings], cancellationToken);
        WorkerOps = new OpsClient(Worker.Address);
        for (var i = 1; i <= edges; i++)
        {
            context.Log($"(e) starting edge {i}");
            var edge = await StartAsync(context, "edge", i, [.. broker, .. redis, $"Internal:ApiUrls={Api.Address}", $"Internal:Token={token}"], cancellationToken);
            Edges.Add(edge);
            _edgeOps.Add(new OpsClient(edge.Address));
        }

        foreach (var (slug, key) in keys)
        {
            _tenants[slug] = new TenantClient(Api.Address, slug, key);
        }
    }

    private async Task<ServerProcess> StartAsync(BenchContext context, string role, string[] settings, CancellationToken cancellationToken) =>
        await StartAsync(context, role, 0, settings, cancellationToken);

    private async Task<ServerProcess> StartAsync(BenchContext context, string role, int number, string[] settings, CancellationToken cancellationToken)
    {
        var name = number == 0 ? role : $"{role}{number}";
        var process = await ServerProcess.StartLinkTrackerAsync(
            context.Paths, context.NewFolder($"e-{name}"), [$"Node:Roles={role}", .. settings, .. context.ExtraSettings], name, cancellationToken);
        _processes.Add(process);
        return process;
    }
}
