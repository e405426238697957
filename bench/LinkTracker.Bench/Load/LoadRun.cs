namespace LinkTracker.Bench.Load;

/// <summary>One load run: how many requests, how fast, how long they took, and what came back.</summary>
public sealed class LoadRun
{
    public required string Name { get; init; }

    public required int Connections { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Latency from the request's due time (closed loop: its send time), so a stalled server is not hidden.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Latency from the actual send: what the server took, without the pacing's queueing.</summary>
    public required LatencyHistogram ServiceTime { get; init; }

    public required IReadOnlyDictionary<int, long> StatusCounts { get; init; }

    /// <summary>Requests that got no response at all (connection errors, timeouts).</summary>
    public required long Errors { get; init; }

    /// <summary>Paced runs: requests due but not sent before the time limit.</summary>
    public required long NotSent { get; init; }

    public required double ClientCores { get; init; }

    public double? ServerCores { get; init; }

    /// <summary>Busy cores of the whole machine: minus server and client, what other processes took.</summary>
    public required double MachineCores { get; init; }

    public double OtherCores => Math.Max(0, MachineCores - ClientCores - (ServerCores ?? 0));

    public long Completed => Latency.Count;

    public double RequestsPerSecond => Seconds > 0 ? Completed / Seconds : 0;

    public long Status(int code) => StatusCounts.GetValueOrDefault(code);

    /// <summary>Responses other than the expected status, plus errors.</summary>
    public long Unexpected(int expected) => Completed - Status(expected) + Errors;
}
