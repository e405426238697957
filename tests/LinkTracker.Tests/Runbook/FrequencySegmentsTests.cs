using LinkTracker.Core.Segments;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Doctor;
using LinkTracker.Runbook.Insights;
using LinkTracker.Runbook.Slow;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Runbook;

/// <summary>The doctor and the insights name slow "at least N clicks" runs of a tenant without the recipient index (ADR 31), and only those.</summary>
public sealed class FrequencySegmentsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly SlowLog _log;

    public FrequencySegmentsTests() =>
        _log = new SlowLog(Options.Create(new SlowLogOptions { Segment = TimeSpan.FromSeconds(1) }), _time);

    [Fact]
    public async Task Each_tenant_whose_frequency_runs_lacked_the_index_is_named_once_with_the_command_and_its_slowest_run()
    {
        _log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(3.2), 3_300_000, "clicks" + IRecipientIndex.MissingShape);
        _log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(2.5), 3_300_000, "clicks" + IRecipientIndex.MissingShape);
        _log.Record("globex", SlowOperationKind.Segment, TimeSpan.FromSeconds(1.5), 3_300_000, "clicks"); // has the index
        _log.Record("initech", SlowOperationKind.Segment, TimeSpan.FromSeconds(4), 9_000_000, "all(clicked,not(clicks))"); // the index would not serve it
        _log.Record("hooli", SlowOperationKind.Stats, TimeSpan.FromSeconds(4), 1, "clicks" + IRecipientIndex.MissingShape); // not a segment

        var problems = await new FrequencySegmentsCheck(_log, _time).CheckAsync(CancellationToken.None);

        var problem = Assert.Single(problems);
        Assert.Equal(("frequency-segments", DoctorSeverity.Warning, "acme", RunbookSections.FrequencySegments),
            (problem.Check, problem.Severity, problem.Tenant, problem.Runbook));
        Assert.StartsWith("2 slow run(s) in the last 5 minutes; slowest 3,200 ms reading 3300000 rows.", problem.Evidence, StringComparison.Ordinal);
        Assert.Contains("'linktracker segments index acme'", problem.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_older_than_the_window_are_not_named()
    {
        _log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(3), 1, "clicks" + IRecipientIndex.MissingShape);
        _time.Advance(TenantActivity.Window + TimeSpan.FromSeconds(1));

        Assert.Empty(await new FrequencySegmentsCheck(_log, _time).CheckAsync(CancellationToken.None));
        Assert.Null(new FrequencySegmentsRule(_log, _time).Evaluate("acme"));
    }

    [Fact]
    public void The_tenant_is_told_how_to_narrow_its_segment_or_what_to_ask_its_operator_for()
    {
        _log.Record("acme", SlowOperationKind.Segment, TimeSpan.FromSeconds(3), 3_300_000, "clicks" + IRecipientIndex.MissingShape);
        var rule = new FrequencySegmentsRule(_log, _time);

        var insight = rule.Evaluate("acme");

        Assert.NotNull(insight);
        Assert.Equal("frequency-segments", insight.Rule);
        Assert.Contains("ask your operator for the recipient index", insight.Fix, StringComparison.Ordinal);
        Assert.Equal("1 slow run(s) in the last 5 minutes; the slowest took 3,000 ms reading 3300000 rows.", insight.Evidence);
        Assert.Null(rule.Evaluate("globex"));
    }
}
