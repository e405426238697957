using CsCheck;
using LinkTracker.Core.Links;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>
/// A visit counter against its model, a plain number: random scripts of bursts of concurrent visits, limit changes and
/// restarts (a new counter over the same storage). In each burst exactly min(burst, limit - count) visits are counted,
/// whatever the interleaving; a restart forgets nothing; a raised limit lets visits through again. One subclass per adapter.
/// </summary>
public abstract class VisitCounterModelTests
{
    private static readonly Gen<Step> Steps = Gen.Frequency(
        (6, Gen.Int[1, 12].Select(n => new Step(StepKind.Visits, n))),
        (2, Gen.Int[1, 20].Select(n => new Step(StepKind.Limit, n))),
        (1, Gen.Const(new Step(StepKind.Restart, 0))));

    private int _links;

    public enum StepKind
    {
        Visits,
        Limit,
        Restart,
    }

    /// <summary>A counter over the test's storage; called again for a restart (same storage, new process state).</summary>
    protected abstract Task<IVisitCounter> StartAsync();

    protected abstract string Tenant { get; }

    [Fact]
    public void Counts_exactly_the_limit_under_concurrent_visits_limit_changes_and_restarts() =>
        Gen.Select(Gen.Int[1, 10], Steps.Array[1, 16]).Sample(
            (limit, steps) => RunAsync(limit, steps).GetAwaiter().GetResult(),
            iter: 40, threads: 1, print: t => $"limit {t.Item1}: {string.Join(", ", t.Item2)}");

    private async Task<bool> RunAsync(int limit, Step[] steps)
    {
        var key = new VisitKey(Tenant, $"v{Interlocked.Increment(ref _links)}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var counter = await StartAsync();
        long count = 0; // the model
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case StepKind.Visits:
                    var max = limit;
                    var answers = await Task.WhenAll(Enumerable.Range(0, step.Value)
                        .Select(_ => Task.Run(() => counter.TryVisitAsync(key, max, null, CancellationToken.None))));
                    var expected = Math.Clamp(limit - count, 0, step.Value);
                    Assert.Equal(expected, answers.Count(a => a));
                    count += expected;
                    break;
                case StepKind.Limit:
                    limit = step.Value;
                    break;
                case StepKind.Restart:
                    counter = await StartAsync();
                    break;
            }
        }

        return true;
    }

    public sealed record Step(StepKind Kind, int Value)
    {
        public override string ToString() => Kind == StepKind.Restart ? "restart" : $"{Kind} {Value}";
    }
}
