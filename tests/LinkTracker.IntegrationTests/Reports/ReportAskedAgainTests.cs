using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection;
using static LinkTracker.IntegrationTests.Reports.ReportsTestKit;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>
/// A day asked for again while its job runs: the running attempt may have stored its report before the second request,
/// whose status waits for a report made after it. The job must run once more, or that status stays "pending" for good
/// (a CI run met it once: the test asked again in the instant between the report's write and the job's ack).
/// </summary>
public sealed class ReportAskedAgainTests
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime).AddDays(-2);

    [Fact]
    public async Task A_day_asked_for_again_while_its_job_runs_is_made_again_after_that_attempt()
    {
        // No workers: the test is the worker, so it can ask again between the report's write and the ack.
        await using var service = await TestService.StartAsync("Jobs:Workers=0", "Jobs:DailyAt=23:59:59");
        using var acme = service.Client("acme", await service.AddTenantAsync("acme"));
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        await service.Services.GetRequiredService<IClickStore>().WriteAsync("acme", [ClickAt("acme", "a", Local(Day, 12, 0, Paris), "ann")], CancellationToken.None);
        var queue = service.Services.GetRequiredService<IJobQueue>();

        var first = await acme.PostJsonAsync("/api/reports", new { from = Iso(Day), to = Iso(Day) });
        var running = await ReceiveAsync(queue);
        await RunAsync(service, running);
        var second = await acme.PostJsonAsync("/api/reports", new { from = Iso(Day), to = Iso(Day) });
        var secondStatus = second.Headers.Location!.ToString();
        var beforeTheRerun = await (await acme.GetAsync(secondStatus)).ReadJsonAsync();
        await queue.AckAsync(running, CancellationToken.None);
        var rerun = await ReceiveAsync(queue);
        await RunAsync(service, rerun);
        await queue.AckAsync(rerun, CancellationToken.None);

        Assert.True((bool)(await (await acme.GetAsync(first.Headers.Location!.ToString())).ReadJsonAsync())["complete"]!);
        Assert.False((bool)beforeTheRerun["complete"]!);
        Assert.Equal((running.Id, 1), (rerun.Id, rerun.Attempt));
        Assert.True((bool)(await WaitUntilCompleteAsync(acme, secondStatus, TimeSpan.FromSeconds(5)))["complete"]!);
    }

    /// <summary>
    /// The next report job; others are acknowledged unrun: the hourly scheduler's first pass may see the new tenant and
    /// add its report-schedule job first (CI met that once: the report handler was given its payload).
    /// </summary>
    private static async Task<JobLease> ReceiveAsync(IJobQueue queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var job = await queue.ReceiveAsync(TimeSpan.FromMinutes(1), timeout.Token)
                ?? throw new InvalidOperationException("No report job came within 5 s.");
            if (job.Type == ReportJob.Type)
            {
                return job;
            }

            await queue.AckAsync(job, CancellationToken.None);
        }
    }

    private static async Task RunAsync(TestService service, JobLease job)
    {
        await using var scope = service.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(ReportJob.Type).RunAsync(job, CancellationToken.None);
    }
}
