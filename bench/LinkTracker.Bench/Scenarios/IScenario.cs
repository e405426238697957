using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

public interface IScenario
{
    string Id { get; }

    string Title { get; }

    /// <summary>Runs against servers it starts and stops itself, and fills the report.</summary>
    Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken);
}
