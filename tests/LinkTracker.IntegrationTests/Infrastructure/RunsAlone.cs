namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that load the whole machine (many server processes, 100,000 requests) run in this collection: after every
/// other test class, never beside them, so they neither starve the timing-sensitive tests nor are starved by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
