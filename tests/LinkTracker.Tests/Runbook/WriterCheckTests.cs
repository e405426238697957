using System.Diagnostics.Metrics;
using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Runbook;

/// <summary>
/// The writer-at-cap check reads the write budget's own use: with a shared budget (three workers, each granted a third)
/// this writer's counters never reach the cap, but the database's do.
/// </summary>
public sealed class WriterCheckTests : IDisposable
{
    private const int Cap = 30;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _meters.Dispose();

    [Theory]
    [InlineData(WriteBudgetScope.Database, 30, true)] // all writers were granted the whole budget: at the cap
    [InlineData(WriteBudgetScope.Database, 27, true)] // 90 %: writers contending for every slot
    [InlineData(WriteBudgetScope.Database, 15, false)] // half the budget left: not at the cap, whatever waits
    [InlineData(WriteBudgetScope.Process, 30, false)] // the process's own budget: its own 10/s are not the cap
    public async Task A_writer_is_at_the_cap_when_its_budget_is_spent_not_when_its_own_share_is(WriteBudgetScope scope, int grantedLastSecond, bool atCap)
    {
        var check = Check(new Budget(scope, new WriteBudgetUse(grantedLastSecond, 3)), waiting: 500);

        var problems = await check.CheckAsync(CancellationToken.None);

        if (atCap)
        {
            var problem = Assert.Single(problems);
            Assert.Equal((DoctorSeverity.Warning, RunbookSections.WriterAtCap), (problem.Severity, problem.Runbook));
            Assert.Contains($"the database's budget of {Cap} transactions/s", problem.Evidence, StringComparison.Ordinal);
            Assert.Contains($"{grantedLastSecond} granted, 10 of them to this writer", problem.Evidence, StringComparison.Ordinal);
            Assert.Contains("500 clicks wait", problem.Evidence, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    [Fact]
    public async Task Nothing_waiting_is_not_at_the_cap_even_with_the_database_budget_spent()
    {
        var check = Check(new Budget(WriteBudgetScope.Database, new WriteBudgetUse(Cap, Cap)), waiting: 0);

        Assert.Empty(await check.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_database_that_cannot_say_its_use_is_no_cap_problem()
    {
        var check = Check(new Budget(WriteBudgetScope.Database, null, fails: true), waiting: 500);

        Assert.Empty(await check.CheckAsync(CancellationToken.None));
    }

    /// <summary>This writer did a third of the cap, 10 transactions, in each of the last 12 seconds.</summary>
    private WriterCheck Check(IWriteBudget budget, long waiting)
    {
        var pending = new PendingClicks(new Journal(waiting));
        var metrics = new ClickMetrics(_meters.GetRequiredService<IMeterFactory>(), pending, _time);
        for (var second = 0; second < 12; second++)
        {
            for (var i = 0; i < Cap / 3; i++)
            {
                metrics.TransactionBegun(_time.GetUtcNow());
                metrics.TransactionCommitted(_time.GetUtcNow(), 20, 0);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var services = new ServiceCollection().AddSingleton(budget).BuildServiceProvider();
        return new WriterCheck(metrics, pending, new TenantActivity(_time), services,
            Options.Create(new WriterOptions { MaxTransactionsPerSecond = Cap }), Options.Create(new DoctorOptions { WriterCapWindow = TimeSpan.FromSeconds(10) }));
    }

    private sealed class Budget(WriteBudgetScope scope, WriteBudgetUse? use, bool fails = false) : IWriteBudget
    {
        public WriteBudgetScope Scope => scope;

        public ValueTask<DateTimeOffset> WaitAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<WriteBudgetUse?> ReadSharedUseAsync(CancellationToken cancellationToken) =>
            fails ? Task.FromException<WriteBudgetUse?>(new TimeoutException("the database did not answer")) : Task.FromResult(use);
    }

    private sealed class Journal(long waiting) : IClickJournal
    {
        public IReadOnlyDictionary<string, long> CountPending() => waiting > 0 ? new Dictionary<string, long> { ["acme"] = waiting } : [];

        public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AppendAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(string tenant, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AcknowledgeAsync(string tenant, long throughSequence, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DateTimeOffset?> OldestPendingAsync(string? tenant, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
    }
}
