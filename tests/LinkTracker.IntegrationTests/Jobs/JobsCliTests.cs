using System.Text.Json.Nodes;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Jobs;

/// <summary>`linktracker jobs` against a running service, as an operator would use it.</summary>
public sealed class JobsCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    /// <summary>A dead letter left by an earlier run: a job of a type this LinkTracker has no handler for.</summary>
    private async Task LeaveDeadLetterAsync(string id, string error)
    {
        var queue = new SqliteJobQueue(new SqliteDatabases(_data.Path), new JobQueueOptions { MaxAttempts = 1 }, TimeProvider.System);
        await using (queue)
        {
            await queue.EnqueueAsync(new JobRequest("legacy-export", "acme", """{"format":"xml"}""", id), null, CancellationToken.None);
            var lease = await queue.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.Equal(JobFailOutcome.DeadLettered, await queue.FailAsync(lease!, error, CancellationToken.None));
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> JobsAsync(ServiceProcess service, params string[] args) =>
        LinkTrackerCommand.RunAsync(["jobs", .. args, "--url", service.Address.ToString(), "--data", service.DataDirectory]);

    [Fact]
    public async Task Jobs_dead_shows_the_dead_letter_and_redrive_and_purge_act_on_it()
    {
        await LeaveDeadLetterAsync("export-7", "Timeout talking to ftp");
        using var service = await ServiceProcess.StartAsync(_data.Path, "Jobs:MaxAttempts=1");

        var dead = await JobsAsync(service, "dead");
        var one = await JobsAsync(service, "dead", "export-7");
        var list = await JobsAsync(service, "list");

        Assert.Equal(0, dead.ExitCode);
        Assert.Contains("export-7", dead.Output, StringComparison.Ordinal);
        Assert.Contains("legacy-export", dead.Output, StringComparison.Ordinal);
        Assert.Contains("1 dead letter(s)", dead.Output, StringComparison.Ordinal);
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("Timeout talking to ftp", one.Output, StringComparison.Ordinal);
        Assert.Contains("""{"format":"xml"}""", one.Output, StringComparison.Ordinal);
        Assert.Contains("dead 1", list.Output, StringComparison.Ordinal);

        // Redriven, it runs in the service, which has no handler for it: with one attempt it is dead again, with that error.
        var redrive = await JobsAsync(service, "redrive", "export-7");
        Assert.Equal((0, "Dead letter export-7 put back in the queue."), (redrive.ExitCode, redrive.Output.Trim()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonNode? again;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the redriven job did not run");
            await Task.Delay(100);
            var json = await JobsAsync(service, "dead", "export-7", "--json");
            again = json.ExitCode == 0 ? JsonNode.Parse(json.Output) : null;
        }
        while (again is null || ((string?)again["lastError"])?.Contains("no handler", StringComparison.Ordinal) != true);

        var purge = await JobsAsync(service, "purge");
        var empty = await JobsAsync(service, "dead");

        Assert.Equal("This LinkTracker has no handler for job type 'legacy-export'.", (string?)again["lastError"]);
        Assert.Equal((0, "1 dead letter(s) deleted."), (purge.ExitCode, purge.Output.Trim()));
        Assert.Equal((0, "No dead letters."), (empty.ExitCode, empty.Output.Trim()));
    }

    [Fact]
    public async Task Jobs_verbs_explain_what_went_wrong()
    {
        using var service = await ServiceProcess.StartAsync(_data.Path);

        var neither = await JobsAsync(service, "redrive");
        var both = await JobsAsync(service, "redrive", "x", "--all");
        var unknown = await JobsAsync(service, "redrive", "no-such-job");
        var nobody = await LinkTrackerCommand.RunAsync("jobs", "list", "--url", "http://127.0.0.1:9");

        Assert.Equal(2, neither.ExitCode);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--all", neither.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No dead letter has the id 'no-such-job'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("No LinkTracker answers at http://127.0.0.1:9/", nobody.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_verbs_use_the_operator_token_and_say_where_to_find_it_when_it_is_missing()
    {
        await LeaveDeadLetterAsync("export-8", "Timeout");
        using var service = await ServiceProcess.StartAsync(_data.Path);
        using var elsewhere = new TempFolder();

        var withoutToken = await LinkTrackerCommand.RunAsync("jobs", "purge", "--url", service.Address.ToString(), "--data", elsewhere.Path);
        var fromEnvironment = await LinkTrackerCommand.RunAsync(
            new Dictionary<string, string> { ["LINKTRACKER__Ops__Token"] = Runbook.OpsCredential.ReadFile(_data.Path)! },
            "jobs", "dead", "--url", service.Address.ToString(), "--data", elsewhere.Path);

        Assert.Equal(2, withoutToken.ExitCode);
        Assert.Contains("refused the operator token", withoutToken.Error, StringComparison.Ordinal);
        Assert.Contains("--data", withoutToken.Error, StringComparison.Ordinal);
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Contains("export-8", fromEnvironment.Output, StringComparison.Ordinal);
    }
}
