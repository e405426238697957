using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>The standard figures of a load run, under one name prefix.</summary>
public static class Figures
{
    public const string Destination = "https://example.com/landing?utm_source=bench";

    public static void Add(ScenarioReport report, string prefix, LoadRun run)
    {
        report.Figure($"{prefix}.requests", run.Completed);
        report.Figure($"{prefix}.seconds", run.Seconds);
        report.Figure($"{prefix}.rps", run.RequestsPerSecond);
        report.Figure($"{prefix}.p50_ms", run.Latency.PercentileMs(50));
        report.Figure($"{prefix}.p90_ms", run.Latency.PercentileMs(90));
        report.Figure($"{prefix}.p99_ms", run.Latency.PercentileMs(99));
        report.Figure($"{prefix}.p999_ms", run.Latency.PercentileMs(99.9));
        report.Figure($"{prefix}.max_ms", run.Latency.MaxMs);
        report.Figure($"{prefix}.service_p99_ms", run.ServiceTime.PercentileMs(99));
        report.Figure($"{prefix}.errors", run.Errors);
        report.Figure($"{prefix}.not_sent", run.NotSent);
        report.Figure($"{prefix}.client_cores", run.ClientCores);
        report.Figure($"{prefix}.machine_cores", run.MachineCores);
        if (run.ServerCores is { } cores)
        {
            report.Figure($"{prefix}.server_cores", cores);
        }

        foreach (var (status, count) in run.StatusCounts)
        {
            report.Figure($"{prefix}.status_{status}", count);
        }
    }

    public static string Cores(double? cores) => cores is { } c ? ScenarioReport.Format(c) : "";
}
