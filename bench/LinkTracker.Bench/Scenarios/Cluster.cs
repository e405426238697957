using System.Security.Cryptography;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The distributed deployment on one machine: private PostgreSQL, Redis and RabbitMQ (scripts/services.sh), a
/// database with a NOINHERIT runtime login, tenants added with the CLI, then one api node, one worker and the edges
/// as separate linktracker processes. Edges get the broker, Redis and the api's URL, never database credentials. A
/// scenario may start more edges later, stop one, or replace the worker (e.g. with another batch size).
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly Dictionary<string, TenantClient> _tenants = new(StringComparer.Ordinal);
    private readonly List<ServerProcess> _processes = [];
    private readonly List<OpsClient> _edgeOps = [];
    private readonly HashSet<ServerProcess> _stoppedProcesses = [];
    private readonly Dictionary<string, int> _started = new(StringComparer.Ordinal);
    private readonly string _scenario;
    private string[] _broker = [];
    private string[] _redis = [];
    private string _token = "";
    private bool _stopped;

    private Cluster(string scenario, PrivateServices services, BenchDatabase database)
    {
        _scenario = scenario;
        Services = services;
        Database = database;
    }

    public PrivateServices Services { get; }

    public BenchDatabase Database { get; }

    public ServerProcess Api { get; private set; } = null!;

    public ServerProcess Worker { get; private set; } = null!;

    public List<ServerProcess> Edges { get; } = [];

    public OpsClient WorkerOps { get; private set; } = null!;

    /// <summary>The running edges' /ops clients, in the order of <see cref="Edges"/>.</summary>
    public IReadOnlyList<OpsClient> EdgeOps => _edgeOps;

    /// <summary>A tenant's API client on the api node.</summary>
    public TenantClient this[string slug] => _tenants[slug];

    /// <param name="context">The bench.</param>
    /// <param name="scenario">The scenario's id, for the progress log and the processes' folders.</param>
    /// <param name="tenants">Added with the CLI before any process starts.</param>
    /// <param name="edges">Edges started with the cluster (more can be started later).</param>
    /// <param name="writerSettings">The worker's settings; null starts no worker (the scenario starts its own, <see cref="StartWorkerAsync"/>).</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<Cluster> StartAsync(
        BenchContext context, string scenario, IReadOnlyList<string> tenants, int edges, IReadOnlyList<string>? writerSettings, CancellationToken cancellationToken)
    {
        context.Log($"({scenario}) starting PostgreSQL, Redis and RabbitMQ (scripts/services.sh)");
        // Not under the bench's work folder: that one is private to root (mode 700), and the servers run as their own users.
        var folder = Path.Combine(Path.GetTempPath(), "linktracker-bench-services-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var services = await PrivateServices.StartAsync(context.Paths, folder, cancellationToken);
        Cluster? cluster = null;
        try
        {
            cluster = new Cluster(scenario, services, await BenchDatabase.CreateAsync(services.Postgres, cancellationToken));
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

    /// <summary>
    /// Waits until the edges' journals are empty, the edges have captured at least <paramref name="acknowledged"/> clicks
    /// since <paramref name="since"/>, and the worker has written every one of them (inserted, or found already stored).
    /// </summary>
    /// <returns>The counters since <paramref name="since"/>, and whether that happened before the timeout.</returns>
    public async Task<(WriterCounts Counts, bool Drained)> WaitWrittenAsync(
        IReadOnlyList<OpsClient> edges, WriterCounts since, long acknowledged, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            var statuses = await Task.WhenAll(edges.Select(e => e.GetWriterAsync(cancellationToken)));
            var counts = WriterCounts.Of(statuses, [await WorkerOps.GetWriterAsync(cancellationToken)]).Since(since);
            if (statuses.All(s => s.JournalDepth == 0) && counts.Captured + counts.CaptureFailures >= acknowledged
                && counts.RowsInserted + counts.Duplicates >= counts.Captured)
            {
                return (counts, true);
            }

            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline)
            {
                return (counts, false);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The counters of these edges (captured) and the worker (written), as of now.</summary>
    public async Task<WriterCounts> ReadCountsAsync(IReadOnlyList<OpsClient> edges, CancellationToken cancellationToken) =>
        WriterCounts.Of(await Task.WhenAll(edges.Select(e => e.GetWriterAsync(cancellationToken))), [await WorkerOps.GetWriterAsync(cancellationToken)]);

    /// <summary>Starts one more edge with these settings besides the broker, Redis and the api's URL.</summary>
    public async Task<(ServerProcess Edge, OpsClient Ops)> StartEdgeAsync(BenchContext context, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        context.Log($"({_scenario}) starting an edge{(settings.Count == 0 ? "" : " with " + string.Join(' ', settings))}");
        var edge = await StartAsync(context, "edge", [.. _broker, .. _redis, $"Internal:ApiUrls={Api.Address}", $"Internal:Token={_token}", .. settings], cancellationToken);
        var ops = new OpsClient(edge.Address);
        Edges.Add(edge);
        _edgeOps.Add(ops);
        return (edge, ops);
    }

    /// <summary>SIGTERM one edge (it forwards what its journal holds) and takes it out of <see cref="Edges"/>.</summary>
    public async Task StopEdgeAsync(ServerProcess edge, ScenarioReport report)
    {
        var index = Edges.IndexOf(edge);
        await StopProcessAsync(edge, report);
        Edges.RemoveAt(index);
        _edgeOps[index].Dispose();
        _edgeOps.RemoveAt(index);
    }

    /// <summary>
    /// Stops the worker and starts another with these settings. Wait until everything is written first: what the old
    /// worker held unacknowledged is delivered again to the new one, which counts it as duplicates.
    /// </summary>
    public async Task ReplaceWorkerAsync(BenchContext context, IReadOnlyList<string> writerSettings, ScenarioReport report, CancellationToken cancellationToken)
    {
        await StopProcessAsync(Worker, report);
        WorkerOps.Dispose();
        context.Log($"({_scenario}) starting a worker with {string.Join(' ', writerSettings)}");
        Worker = await StartAsync(context, "worker", [.. Database.RuntimeSettings, .. _broker, .. writerSettings], cancellationToken);
        WorkerOps = new OpsClient(Worker.Address);
    }

    /// <summary>Starts one more worker with these settings besides the database and the broker; stop it with <see cref="StopWorkerAsync"/>.</summary>
    public async Task<(ServerProcess Worker, OpsClient Ops)> StartWorkerAsync(BenchContext context, IReadOnlyList<string> writerSettings, CancellationToken cancellationToken)
    {
        context.Log($"({_scenario}) starting a worker with {string.Join(' ', writerSettings)}");
        var worker = await StartAsync(context, "worker", [.. Database.RuntimeSettings, .. _broker, .. writerSettings], cancellationToken);
        return (worker, new OpsClient(worker.Address));
    }

    /// <summary>SIGTERM a worker started with <see cref="StartWorkerAsync"/>; its warnings go to the report.</summary>
    public Task StopWorkerAsync(ServerProcess worker, ScenarioReport report) => StopProcessAsync(worker, report);

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
            await StopProcessAsync(process, report);
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
        BenchContext context, IReadOnlyList<string> tenants, int edges, IReadOnlyList<string>? writerSettings, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in tenants)
        {
            context.Log($"({_scenario}) linktracker tenants add {slug} (PostgreSQL)");
            var folder = context.NewFolder($"{_scenario}-cli-{slug}");
            keys[slug] = (await LinkTrackerCli.AddTenantAsync(context.Paths, folder, slug, Database.ProvisioningEnvironment, cancellationToken)).ApiKey;
        }

        _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _broker = [$"RabbitMq:Uri={Services.RabbitMq}", "RabbitMq:QueuePrefix=bench"];
        _redis = [$"Redis:Configuration={Services.Redis}"];

        context.Log($"({_scenario}) starting the api node");
        Api = await StartAsync(context, "api", [.. Deployment.BenchSettings, .. Database.RuntimeSettings, .. _broker, .. _redis, $"Internal:Token={_token}"], cancellationToken);
        if (writerSettings is not null)
        {
            context.Log($"({_scenario}) starting the worker");
            Worker = await StartAsync(context, "worker", [.. Database.RuntimeSettings, .. _broker, .. writerSettings], cancellationToken);
            WorkerOps = new OpsClient(Worker.Address);
        }
        for (var i = 1; i <= edges; i++)
        {
            await StartEdgeAsync(context, [], cancellationToken);
        }

        foreach (var (slug, key) in keys)
        {
            _tenants[slug] = new TenantClient(Api.Address, slug, key);
        }
    }

    /// <summary>Names: api, worker, worker2 (a replacement), edge1, edge2, ...; each process gets a folder of its own.</summary>
    private async Task<ServerProcess> StartAsync(BenchContext context, string role, string[] settings, CancellationToken cancellationToken)
    {
        var number = _started[role] = _started.GetValueOrDefault(role) + 1;
        var name = role == "edge" || number > 1 ? $"{role}{number}" : role;
        var process = await ServerProcess.StartLinkTrackerAsync(
            context.Paths, context.NewFolder($"{_scenario}-{name}"), [$"Node:Roles={role}", .. settings, .. context.ExtraSettings], name, cancellationToken);
        _processes.Add(process);
        return process;
    }

    private async Task StopProcessAsync(ServerProcess process, ScenarioReport report)
    {
        if (!_stoppedProcesses.Add(process))
        {
            return;
        }

        var exit = await process.StopAsync(TimeSpan.FromSeconds(30));
        if (exit != 0)
        {
            report.ServiceProblems.Add($"{process.Name} exited with code {exit} after SIGTERM");
        }

        report.ServiceProblems.AddRange(process.Problems.Select(p => $"{process.Name}: {p}"));
    }
}
