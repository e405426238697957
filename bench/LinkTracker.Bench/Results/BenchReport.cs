namespace LinkTracker.Bench.Results;

/// <summary>A whole bench run: where and on what it ran, and each scenario's findings.</summary>
public sealed class BenchReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public required string Mode { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required MachineInfo Machine { get; init; }

    public List<ScenarioReport> Scenarios { get; } = [];

    public bool IntegrityOk => Scenarios.All(s => s.IntegrityOk);
}
