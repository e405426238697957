using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Jobs;

/// <summary>The worker in the real host, with test-only handlers: retries, dead letters through /ops/jobs, redrive, fairness, leases.</summary>
public sealed class JobWorkerTests : IAsyncDisposable
{
    // Short retries so five attempts take well under a second; the daily run is kept out of the way.
    private static readonly string[] FastRetries = ["Jobs:MaxAttempts=3", "Jobs:BaseDelay=00:00:00.050", "Jobs:MaxDelay=00:00:00.200", "Jobs:DailyAt=23:59:59"];
    private readonly ConcurrentQueue<string> _runs = new();
    private TestService? _service;

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    private async Task<TestService> StartAsync(Action<IServiceCollection> handlers, params string[] settings)
    {
        _service = await TestService.StartAsync(handlers, [.. FastRetries, .. settings]);
        return _service;
    }

    private static async Task<JsonNode?> WaitForDeadAsync(HttpClient ops, string id, int attempts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await ops.GetAsync($"/ops/jobs/dead/{Uri.EscapeDataString(id)}");
            if (response.StatusCode == HttpStatusCode.OK && await response.ReadJsonAsync() is { } dead && (int)dead["attempts"]! == attempts)
            {
                return dead;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not become a dead letter after {attempts} attempts");
            await Task.Delay(25);
        }
    }

    private static async Task<JsonNode> OutcomeAsync(HttpClient ops, string type, string tenant)
    {
        var status = await (await ops.GetAsync("/ops/jobs")).ReadJsonAsync();
        return status["outcomes"]!.AsArray().Single(o => (string?)o!["type"] == type && (string?)o["tenant"] == tenant)!;
    }

    [Fact]
    public async Task A_job_that_always_fails_ends_in_the_dead_letters_with_its_last_error_and_runs_again_when_redriven()
    {
        var handler = new RecordingHandler(_runs) { Fails = true };
        var service = await StartAsync(s => s.AddKeyedSingleton<IJobHandler>("flaky", handler));
        using var ops = service.OpsClient();
        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new JobRequest("flaky", "acme", """{"n":1}""", "flaky-1"), null, CancellationToken.None);

        var dead = await WaitForDeadAsync(ops, "flaky-1", 3);
        var list = await (await ops.GetAsync("/ops/jobs/dead")).ReadJsonAsync();
        var failing = await OutcomeAsync(ops, "flaky", "acme");

        Assert.Equal(("flaky", "acme", """{"n":1}""", "boom on attempt 3"), ((string?)dead!["type"], (string?)dead["tenant"], (string?)dead["payload"], (string?)dead["lastError"]));
        Assert.Equal(["flaky-1"], list["items"]!.AsArray().Select(d => (string?)d!["id"]));
        Assert.Equal(1, (long)list["total"]!);
        Assert.Equal((0L, 3L, 1L), ((long)failing["succeeded"]!, (long)failing["failed"]!, (long)failing["deadLettered"]!));
        Assert.Equal(3, handler.Calls);

        handler.Fails = false;
        var redrive = await ops.PostAsync("/ops/jobs/dead/flaky-1/redrive", null);
        await service.WaitForJobsAsync();

        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(1, (int)(await redrive.ReadJsonAsync())["count"]!);
        Assert.Equal(4, handler.Calls);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("/ops/jobs/dead/flaky-1")).StatusCode);
        Assert.Equal(1L, (long)(await OutcomeAsync(ops, "flaky", "acme"))["succeeded"]!);
        var again = await ops.PostAsync("/ops/jobs/dead/flaky-1/redrive", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("No dead letter has the id 'flaky-1'", (string?)(await again.ReadJsonAsync())["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_all_and_purge_act_on_every_dead_letter()
    {
        var handler = new RecordingHandler(_runs) { Fails = true };
        var service = await StartAsync(s => s.AddKeyedSingleton<IJobHandler>("flaky", handler), "Jobs:MaxAttempts=1");
        using var ops = service.OpsClient();
        await service.Services.GetRequiredService<IJobQueue>().EnqueueManyAsync(
            [new JobRequest("flaky", "acme", "{}", "d-1"), new JobRequest("flaky", null, "{}", "d-2")], null, CancellationToken.None);
        await WaitForDeadAsync(ops, "d-1", 1);
        await WaitForDeadAsync(ops, "d-2", 1);

        var redriven = await (await ops.PostAsync("/ops/jobs/dead/redrive", null)).ReadJsonAsync();
        await WaitForDeadAsync(ops, "d-1", 1);
        await WaitForDeadAsync(ops, "d-2", 1);
        await service.WaitForJobsAsync();
        var purged = await (await ops.DeleteAsync("/ops/jobs/dead")).ReadJsonAsync();
        var after = await (await ops.GetAsync("/ops/jobs")).ReadJsonAsync();

        Assert.Equal(2, (int)redriven["count"]!);
        Assert.Equal(4, handler.Calls);
        Assert.Equal(2, (int)purged["count"]!);
        Assert.Equal((0L, 0L, 0L), ((long)after["waiting"]!, (long)after["leased"]!, (long)after["dead"]!));
        Assert.Equal((2L, 2L), ((long)(await OutcomeAsync(ops, "flaky", "acme"))["deadLettered"]!, (long)after["outcomes"]!.AsArray().Single(o => o!["tenant"] is null)!["deadLettered"]!));
    }

    [Fact]
    public async Task One_tenants_failing_jobs_do_not_hold_back_another_tenants_job()
    {
        var failing = new RecordingHandler(_runs) { Fails = true };
        var fine = new RecordingHandler(_runs);
        var service = await StartAsync(
            s => s.AddKeyedSingleton<IJobHandler>("flaky", failing).AddKeyedSingleton<IJobHandler>("fine", fine),
            "Jobs:Workers=1");
        using var ops = service.OpsClient();
        var queue = service.Services.GetRequiredService<IJobQueue>();

        await queue.EnqueueManyAsync(
            [.. Enumerable.Range(1, 5).Select(i => new JobRequest("flaky", "acme", "{}", $"acme-{i}")), new JobRequest("fine", "beta", "{}", "beta-1")],
            null, CancellationToken.None);
        for (var i = 1; i <= 5; i++)
        {
            await WaitForDeadAsync(ops, $"acme-{i}", 3);
        }

        var order = _runs.ToList();
        Assert.Equal(15, order.Count(r => r.StartsWith("acme-", StringComparison.Ordinal)));
        Assert.InRange(order.IndexOf("beta-1"), 0, 1);
        Assert.Equal(1L, (long)(await OutcomeAsync(ops, "fine", "beta"))["succeeded"]!);
        Assert.Equal(5L, (long)(await OutcomeAsync(ops, "flaky", "acme"))["deadLettered"]!);
    }

    [Fact]
    public async Task A_job_longer_than_its_lease_keeps_the_lease_and_runs_once()
    {
        // Renewed every third of the lease: a 3 s lease leaves 2 s of slack for a loaded CI machine; the job runs 5 s.
        var slow = new RecordingHandler(_runs) { Duration = TimeSpan.FromSeconds(5) };
        var service = await StartAsync(s => s.AddKeyedSingleton<IJobHandler>("slow", slow), "Jobs:Lease=00:00:03");
        using var ops = service.OpsClient();

        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new JobRequest("slow", "acme", "{}", "slow-1"), null, CancellationToken.None);
        await service.WaitForJobsAsync();
        var outcome = await OutcomeAsync(ops, "slow", "acme");

        Assert.Equal(1, slow.Calls);
        Assert.Equal((1L, 0L), ((long)outcome["succeeded"]!, (long)outcome["failed"]!));
    }

    [Fact]
    public async Task The_ops_endpoints_are_not_served_on_a_tenant_host()
    {
        var service = await StartAsync(_ => { });
        await service.AddTenantAsync("acme");
        using var tenantHost = service.Client("acme");

        Assert.Equal(HttpStatusCode.NotFound, (await tenantHost.GetAsync("/ops/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenantHost.DeleteAsync("/ops/jobs/dead")).StatusCode);
    }

    /// <summary>Records each run as its job id; fails with "boom on attempt N" while <see cref="Fails"/> is set.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<string> runs) : IJobHandler
    {
        private int _calls;

        public volatile bool Fails;

        public TimeSpan Duration { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            runs.Enqueue(job.Id);
            if (Duration > TimeSpan.Zero)
            {
                await Task.Delay(Duration, cancellationToken);
            }

            if (Fails)
            {
                throw new InvalidOperationException($"boom on attempt {job.Attempt}");
            }
        }
    }
}
