using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>(e) Edge, API and worker processes with PostgreSQL, RabbitMQ and Redis: not built yet.</summary>
public sealed class DistributedScenario : IScenario
{
    public string Id => "e";

    public string Title => "Distributed deployment";

    public Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Skipped = "the distributed deployment is not built yet";
        context.Log("(e) skipped: the distributed deployment is not built yet");
        return Task.CompletedTask;
    }
}
