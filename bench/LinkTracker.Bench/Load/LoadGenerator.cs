using System.Diagnostics;
using System.Globalization;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Load;

/// <summary>
/// Redirect traffic to one server over a fixed pool of HTTP/1.1 connections (one worker per connection):
/// closed loop (each worker sends its next request when the previous one is answered) or paced (requests
/// are due at set times; latency counts from the due time). Every request carries a distinct ?r= recipient.
/// With several targets (e.g. edge nodes) the connections are dealt out among them in turn.
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    public const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly HttpMessageInvoker _invoker;
    private readonly (string Origin, string Host)[] _targets;

    public LoadGenerator(Uri address, string host, int connections)
        : this([(address, host)], connections)
    {
    }

    /// <summary>Connection w goes to target w mod the number of targets, each with its own Host header.</summary>
    public LoadGenerator(IReadOnlyList<(Uri Address, string Host)> targets, int connections)
    {
        ArgumentOutOfRangeException.ThrowIfZero(targets.Count);
        Connections = connections;
        _targets = [.. targets.Select(t => (t.Address.GetLeftPart(UriPartial.Authority), t.Host))];
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            MaxConnectionsPerServer = connections,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        });
    }

    public int Connections { get; }

    /// <summary>Closed loop for <paramref name="duration"/> (or <paramref name="maxRequests"/>), whichever ends first.</summary>
    public Task<LoadRun> RunClosedAsync(
        string name, RecipientLedger ledger, Func<long, Random, string> codeOf, TimeSpan duration, long maxRequests,
        ServerProcess? server, CancellationToken cancellationToken) =>
        RunAsync(name, ledger, codeOf, null, duration, maxRequests, server, cancellationToken);

    /// <summary>Paced: request i is due at <paramref name="dueOf"/>(i) after the start; unsent ones are counted after <paramref name="limit"/>.</summary>
    public Task<LoadRun> RunPacedAsync(
        string name, RecipientLedger ledger, Func<long, Random, string> codeOf, Func<long, TimeSpan> dueOf, long count, TimeSpan limit,
        ServerProcess? server, CancellationToken cancellationToken) =>
        RunAsync(name, ledger, codeOf, dueOf, limit, count, server, cancellationToken);

    public void Dispose() => _invoker.Dispose();

    private async Task<LoadRun> RunAsync(
        string name, RecipientLedger ledger, Func<long, Random, string> codeOf, Func<long, TimeSpan>? dueOf, TimeSpan duration, long maxRequests,
        ServerProcess? server, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        abort.CancelAfter(duration + Grace);
        var state = new RunState(Stopwatch.GetTimestamp(), duration, maxRequests, abort.Token);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpu = server?.ReadCpuTime();
        var machineCpu = MachineCpu.Read();

        var workers = new Task<WorkerResult>[Connections];
        for (var w = 0; w < workers.Length; w++)
        {
            var seed = HashCode.Combine(name, w);
            var target = _targets[w % _targets.Length];
            workers[w] = Task.Run(() => WorkAsync(state, target, ledger, codeOf, dueOf, new Random(seed)), CancellationToken.None);
        }

        var results = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(state.Start).TotalSeconds;
        var latency = new LatencyHistogram();
        var service = new LatencyHistogram();
        var statuses = new Dictionary<int, long>();
        long errors = 0;
        foreach (var r in results)
        {
            latency.Add(r.Latency);
            service.Add(r.Service);
            errors += r.Errors;
            for (var code = 0; code < r.Statuses.Length; code++)
            {
                if (r.Statuses[code] > 0)
                {
                    statuses[code] = statuses.GetValueOrDefault(code) + r.Statuses[code];
                }
            }
        }

        return new LoadRun
        {
            Name = name,
            Connections = Connections,
            Seconds = seconds,
            Latency = latency,
            ServiceTime = service,
            StatusCounts = statuses,
            Errors = errors,
            NotSent = dueOf is null ? 0 : Math.Max(0, maxRequests - Math.Min(maxRequests, latency.Count + errors)),
            ClientCores = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds / seconds,
            MachineCores = MachineCpu.Read().CoresSince(machineCpu),
            ServerCores = server is null || serverCpu is null ? null : (server.ReadCpuTime() - serverCpu.Value).TotalSeconds / seconds,
        };
    }

    private async Task<WorkerResult> WorkAsync(
        RunState state, (string Origin, string Host) target, RecipientLedger ledger, Func<long, Random, string> codeOf,
        Func<long, TimeSpan>? dueOf, Random random)
    {
        var result = new WorkerResult();
        while (!state.Abort.IsCancellationRequested)
        {
            var i = Interlocked.Increment(ref state.Issued) - 1;
            if (i >= state.MaxRequests)
            {
                break;
            }

            var now = Stopwatch.GetTimestamp();
            var due = now;
            if (dueOf is null)
            {
                if (now >= state.StopAt)
                {
                    break;
                }
            }
            else
            {
                due = state.Start + (long)(dueOf(i).TotalSeconds * Stopwatch.Frequency);
                if (due >= state.StopAt)
                {
                    break;
                }

                // Task.Delay fires a millisecond or so late: aim a millisecond early and count from the due time.
                var wait = Stopwatch.GetElapsedTime(now, due) - TimeSpan.FromMilliseconds(1);
                if (wait > TimeSpan.Zero && !await DelayAsync(wait, state.Abort))
                {
                    break;
                }
            }

            var id = ledger.Next();
            var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"{target.Origin}/{codeOf(i, random)}?r={ledger.Recipient(id)}"));
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Host = target.Host;
            request.Headers.TryAddWithoutValidation("User-Agent", BrowserAgent);
            var sent = Stopwatch.GetTimestamp();
            var status = 0;
            try
            {
                using var response = await _invoker.SendAsync(request, state.Abort);
                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                result.Errors++;
            }

            var end = Stopwatch.GetTimestamp();
            if (status == 0)
            {
                continue;
            }

            result.Service.RecordTimestamps(sent, end);
            result.Latency.RecordTimestamps(Math.Min(due, sent), end);
            result.Statuses[Math.Min(status, result.Statuses.Length - 1)]++;
            if (status == 302)
            {
                ledger.MarkAcknowledged(id);
            }
        }

        return result;
    }

    private static async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class RunState(long start, TimeSpan duration, long maxRequests, CancellationToken abort)
    {
        public long Issued;

        public long Start { get; } = start;

        public long StopAt { get; } = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        public long MaxRequests { get; } = maxRequests;

        public CancellationToken Abort { get; } = abort;
    }

    private sealed class WorkerResult
    {
        public LatencyHistogram Latency { get; } = new();

        public LatencyHistogram Service { get; } = new();

        public long[] Statuses { get; } = new long[600];

        public long Errors { get; set; }
    }
}
