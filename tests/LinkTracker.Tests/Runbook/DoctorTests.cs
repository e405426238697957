using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Runbook;

public sealed class DoctorTests
{
    private static Doctor With(params IDoctorCheck[] checks) => new(checks, new FakeTimeProvider(), NullLogger<Doctor>.Instance);

    [Fact]
    public async Task No_problem_is_healthy_with_exit_code_0()
    {
        var report = await With(new Fixed("a"), new Fixed("b")).ExamineAsync(CancellationToken.None);

        Assert.Equal(("healthy", 0), (report.Status, report.ExitCode));
        Assert.Equal(["a ok", "b ok"], report.Checks.Select(c => $"{c.Name} {c.Status}"));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task The_worst_problem_sets_the_exit_code_and_comes_first()
    {
        var warnings = await With(new Fixed("a", DoctorSeverity.Warning), new Fixed("b")).ExamineAsync(CancellationToken.None);
        var action = await With(new Fixed("a", DoctorSeverity.Warning), new Fixed("b", DoctorSeverity.Action)).ExamineAsync(CancellationToken.None);

        Assert.Equal(("warning", 1), (warnings.Status, warnings.ExitCode));
        Assert.Equal(("action", 2), (action.Status, action.ExitCode));
        Assert.Equal(["b", "a"], action.Problems.Select(p => p.Check));
        Assert.Equal(["a warning", "b action"], action.Checks.Select(c => $"{c.Name} {c.Status}"));
    }

    [Fact]
    public async Task A_check_that_throws_is_reported_as_failed_and_the_others_still_run()
    {
        var report = await With(new Throwing(), new Fixed("b")).ExamineAsync(CancellationToken.None);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(["throwing failed", "b ok"], report.Checks.Select(c => $"{c.Name} {c.Status}"));
        var problem = Assert.Single(report.Problems);
        Assert.Equal(("the disk went away", RunbookSections.DoctorFailed), (problem.Evidence, problem.Runbook));
    }

    private sealed class Fixed(string name, DoctorSeverity? severity = null) : IDoctorCheck
    {
        public string Name => name;

        public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DoctorProblem>>(severity is { } s ? [new DoctorProblem(name, s, "title", "evidence", RunbookSections.Lag)] : []);
    }

    private sealed class Throwing : IDoctorCheck
    {
        public string Name => "throwing";

        public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken) => throw new IOException("the disk went away");
    }
}
