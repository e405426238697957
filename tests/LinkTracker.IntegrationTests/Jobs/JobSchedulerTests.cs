using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Jobs;

/// <summary>
/// The schedules: one retention job per tenant per day, and one report-schedule and one segment-schedule job per tenant
/// per hour, idempotent, caught up at start.
/// </summary>
public sealed class JobSchedulerTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<List<string>> PendingIdsAsync(Func<HttpClient> opsClient)
    {
        using var ops = opsClient();
        var status = await (await ops.GetAsync("/ops/jobs?limit=1000")).ReadJsonAsync();
        return [.. status["pending"]!.AsArray().Select(p => (string)p!["id"]!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_day_and_an_hour_are_scheduled_once_per_tenant_and_a_second_pass_adds_nothing()
    {
        // No workers, so the jobs stay in the queue where the second pass meets them.
        await using var service = await TestService.StartAsync("Jobs:Workers=0", "Jobs:DailyAt=23:59:59");
        await service.AddTenantAsync("acme");
        await service.AddTenantAsync("beta");
        var daily = service.Services.GetRequiredService<JobScheduler>();
        var hourly = service.Services.GetRequiredService<HourlyJobScheduler>();
        var day = new DateOnly(2030, 1, 1);
        var hour = new DateTimeOffset(2030, 1, 1, 7, 0, 0, TimeSpan.Zero);

        var first = await daily.ScheduleDayAsync(day, CancellationToken.None);
        var second = await daily.ScheduleDayAsync(day, CancellationToken.None);
        var nextDay = await daily.ScheduleDayAsync(day.AddDays(1), CancellationToken.None);
        var firstHour = await hourly.ScheduleHourAsync(hour, CancellationToken.None);
        var sameHourLater = await hourly.ScheduleHourAsync(hour.AddMinutes(59), CancellationToken.None);
        var nextHour = await hourly.ScheduleHourAsync(hour.AddHours(1), CancellationToken.None);

        Assert.Equal((2, 0, 2), (first, second, nextDay));
        Assert.Equal((4, 0, 4), (firstHour, sameHourLater, nextHour));
        Assert.Equal(
            [
                "report-schedule:acme:2030-01-01T07", "report-schedule:acme:2030-01-01T08", "report-schedule:beta:2030-01-01T07", "report-schedule:beta:2030-01-01T08",
                "retention:acme:2030-01-01", "retention:acme:2030-01-02", "retention:beta:2030-01-01", "retention:beta:2030-01-02",
                "segment-schedule:acme:2030-01-01T07", "segment-schedule:acme:2030-01-01T08", "segment-schedule:beta:2030-01-01T07", "segment-schedule:beta:2030-01-01T08",
            ],
            (await PendingIdsAsync(service.OpsClient)).Where(id => id.Contains(":2030-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_run_missed_while_the_service_was_down_is_caught_up_at_start_and_a_restart_adds_nothing()
    {
        foreach (var tenant in (string[])["acme", "beta"])
        {
            Assert.Equal(0, (await LinkTrackerCommand.RunAsync("tenants", "add", tenant, "--data", _data.Path)).ExitCode);
        }

        // Midnight has always passed: today's run is due at every start, as is the current hour's. The schedulers' log
        // says what each pass did.
        string[] settings =
        [
            "Jobs:Workers=0", "Jobs:DailyAt=00:00:00",
            "Logging:LogLevel:LinkTracker.Jobs.JobScheduler=Information", "Logging:LogLevel:LinkTracker.Jobs.HourlyJobScheduler=Information",
        ];
        List<string> first;
        using (var service = await ServiceProcess.StartAsync(_data.Path, settings))
        {
            first = await WaitForPendingAsync(() => service.OpsClient(), 6);
            await WaitForOutputAsync(service, "Daily jobs of");
            await WaitForOutputAsync(service, "Hourly jobs of");
            Assert.DoesNotContain("0 enqueued", service.Output, StringComparison.Ordinal);
            service.Kill();
        }

        using var restarted = await ServiceProcess.StartAsync(_data.Path, settings);
        await WaitForOutputAsync(restarted, "0 enqueued, 2 already in the queue");
        await WaitForOutputAsync(restarted, "0 enqueued, 4 already in the queue");
        var afterRestart = await PendingIdsAsync(() => restarted.OpsClient());

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var day = first.Single(id => id.StartsWith("retention:acme:", StringComparison.Ordinal)).Split(':')[2];
        var hour = first.Single(id => id.StartsWith("report-schedule:acme:", StringComparison.Ordinal)).Split(':')[2];
        Assert.Contains(day, (string[])[$"{today:yyyy-MM-dd}", $"{today.AddDays(-1):yyyy-MM-dd}"]);
        Assert.Equal(
            [
                $"report-schedule:acme:{hour}", $"report-schedule:beta:{hour}", $"retention:acme:{day}", $"retention:beta:{day}",
                $"segment-schedule:acme:{hour}", $"segment-schedule:beta:{hour}",
            ],
            first);
        Assert.Equal(first, afterRestart.Where(id => id.EndsWith(day, StringComparison.Ordinal) || id.EndsWith(hour, StringComparison.Ordinal)));
        Assert.True(afterRestart.Count <= 12, string.Join(", ", afterRestart));
    }

    private static async Task WaitForOutputAsync(ServiceProcess service, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!service.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' not logged:\n{service.Output}");
            await Task.Delay(50);
        }
    }

    private static async Task<List<string>> WaitForPendingAsync(Func<HttpClient> opsClient, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var ids = await PendingIdsAsync(opsClient);
            if (ids.Count >= count)
            {
                return ids;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {ids.Count} jobs scheduled at start");
            await Task.Delay(50);
        }
    }
}
