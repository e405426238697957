using System.Diagnostics;
using LinkTracker.Core.Jobs;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>
/// What every job queue must do; one subclass per engine runs the same assertions. Delays are short but real,
/// so the suite also holds against a broker whose retries are timed by the broker itself.
/// </summary>
public abstract class JobQueueContract
{
    /// <summary>Retries after 100 ms, doubling; little jitter, so the growth shows through scheduling noise.</summary>
    protected static readonly JobQueueOptions Fast = new()
    {
        MaxAttempts = 5,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(10),
        JitterFraction = 0.1,
    };

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(10);
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Whether a job id already waiting, leased or dead is refused (ADR 5); RabbitMQ has no such lookup (ADR 6).</summary>
    protected virtual bool EnqueueIsOncePerId => true;

    /// <summary>Whether ListPendingAsync shows every waiting job; a quorum queue cannot be read without counting a delivery (ADR 6).</summary>
    protected virtual bool ListsEveryWaitingJob => true;

    /// <summary>Whether tenants take turns across the whole backlog, not only among the deliveries a consumer prefetched (ADR 6).</summary>
    protected virtual bool TenantsTakeTurnsAcrossTheBacklog => true;

    /// <summary>How long counts may lag while a broker moves deliveries to a consumer (ADR 6); zero where they are exact.</summary>
    protected virtual TimeSpan CountsSettleWithin => TimeSpan.Zero;

    /// <summary>A fresh, empty queue.</summary>
    protected abstract Task<IJobQueue> CreateAsync(JobQueueOptions options);

    /// <summary>The same queue as a new process finds it after <paramref name="crashed"/> died mid-job without a word (kill -9).</summary>
    protected abstract Task<IJobQueue> ReopenAfterCrashAsync(IJobQueue crashed, JobQueueOptions options);

    private static async Task<JobLease?> ReceiveWithinAsync(IJobQueue queue, TimeSpan within, TimeSpan? lease = null)
    {
        using var timeout = new CancellationTokenSource(within);
        return await queue.ReceiveAsync(lease ?? Lease, timeout.Token);
    }

    private static async Task<JobLease> ReceiveAsync(IJobQueue queue, TimeSpan? lease = null)
    {
        var received = await ReceiveWithinAsync(queue, Patience, lease);
        Assert.NotNull(received);
        return received;
    }

    private static JobRequest Report(string? tenant, string payload = "{}", string? id = null) => new("report", tenant, payload, id);

    [Fact]
    public async Task A_job_received_and_acknowledged_is_gone()
    {
        var queue = await CreateAsync(Fast);
        var enqueued = await queue.EnqueueAsync(Report("acme", """{"day":"2026-03-01"}"""), null, None);

        var lease = await ReceiveAsync(queue);
        var acked = await queue.AckAsync(lease, None);

        Assert.True(enqueued.Added);
        Assert.Equal((enqueued.Id, "report", "acme", """{"day":"2026-03-01"}""", 1), (lease.Id, lease.Type, lease.Tenant, lease.Payload, lease.Attempt));
        Assert.True(acked);
        Assert.False(await queue.AckAsync(lease, None));
        Assert.Null(await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(300)));
        Assert.Empty(await queue.ListPendingAsync(10, None));
        Assert.Equal(new JobQueueCounts(0, 0, 0), await queue.CountAsync(None));
    }

    [Fact]
    public async Task A_poison_job_is_attempted_MaxAttempts_times_with_growing_delays_and_dead_lettered_with_its_last_error()
    {
        var queue = await CreateAsync(Fast);
        var poison = await queue.EnqueueAsync(Report("acme", """{"n":1}"""), null, None);
        var clock = Stopwatch.StartNew();
        var receivedAt = new List<TimeSpan>();
        var attempts = new List<int>();
        JobFailOutcome outcome;
        do
        {
            var lease = await ReceiveAsync(queue);
            receivedAt.Add(clock.Elapsed);
            attempts.Add(lease.Attempt);
            outcome = await queue.FailAsync(lease, $"boom on attempt {lease.Attempt}", None);
        }
        while (outcome == JobFailOutcome.Retrying && attempts.Count < 10);

        var gaps = receivedAt.Zip(receivedAt.Skip(1), (a, b) => b - a).ToList();
        var dead = await queue.GetDeadAsync(poison.Id, None);

        Assert.Equal(JobFailOutcome.DeadLettered, outcome);
        Assert.Equal([1, 2, 3, 4, 5], attempts);
        var shown = string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:F0} ms"));
        var shortest = gaps.Select((_, i) => (Fast.BaseDelay * Math.Pow(2, i) * (1 - Fast.JitterFraction)) - ClockSlack).ToList();
        for (var i = 0; i < gaps.Count; i++)
        {
            Assert.True(gaps[i] >= shortest[i], $"retry {i + 1} came too early: {shown}");
            Assert.True(gaps[i] <= (Fast.BaseDelay * Math.Pow(2, i)) + TimeSpan.FromSeconds(2), $"retry {i + 1} came too late: {shown}");
        }

        // Each wait is at least its doubled minimum; the first is shorter than the last's minimum, so the waits grew.
        Assert.True(gaps[0] < shortest[^1], $"the delays did not grow: {shown}");

        Assert.NotNull(dead);
        Assert.Equal((poison.Id, "report", "acme", """{"n":1}""", 5, "boom on attempt 5"), (dead.Id, dead.Type, dead.Tenant, dead.Payload, dead.Attempts, dead.LastError));
        Assert.Equal([poison.Id], (await queue.ListDeadAsync(10, None)).Select(d => d.Id));
        Assert.Empty(await queue.ListPendingAsync(10, None));
        Assert.Null(await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(new JobQueueCounts(0, 0, 1), await queue.CountAsync(None));
    }

    [Fact]
    public async Task A_redriven_dead_letter_runs_again_with_fresh_attempts()
    {
        var queue = await CreateAsync(Fast with { MaxAttempts = 2 });
        var job = await queue.EnqueueAsync(Report(null), null, None);
        await queue.FailAsync(await ReceiveAsync(queue), "first", None);
        var died = await queue.FailAsync(await ReceiveAsync(queue), "second", None);

        var redriven = await queue.RedriveAsync(job.Id, None);
        var again = await ReceiveAsync(queue);
        var acked = await queue.AckAsync(again, None);

        Assert.Equal(JobFailOutcome.DeadLettered, died);
        Assert.True(redriven);
        Assert.Equal((job.Id, 1), (again.Id, again.Attempt));
        Assert.True(acked);
        Assert.Null(await queue.GetDeadAsync(job.Id, None));
        Assert.False(await queue.RedriveAsync(job.Id, None));
        Assert.Equal(new JobQueueCounts(0, 0, 0), await queue.CountAsync(None));
    }

    [Fact]
    public async Task Redrive_all_puts_every_dead_letter_back_and_purge_deletes_them()
    {
        var queue = await CreateAsync(Fast with { MaxAttempts = 1 });
        var jobs = await queue.EnqueueManyAsync([Report("acme", "1"), Report("acme", "2")], null, None);
        async Task FailBothAsync()
        {
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(JobFailOutcome.DeadLettered, await queue.FailAsync(await ReceiveAsync(queue), "boom", None));
            }
        }

        await FailBothAsync();
        var deadBefore = await queue.ListDeadAsync(10, None);
        var redriven = await queue.RedriveAllAsync(None);
        await FailBothAsync();
        var purged = await queue.PurgeDeadAsync(None);

        Assert.Equal(jobs.Select(j => j.Id).Order(), deadBefore.Select(d => d.Id).Order());
        Assert.Equal(2, redriven);
        Assert.Equal(2, purged);
        Assert.Empty(await queue.ListDeadAsync(10, None));
        Assert.Null(await queue.GetDeadAsync(jobs[0].Id, None));
        Assert.Equal(new JobQueueCounts(0, 0, 0), await queue.CountAsync(None));
    }

    [Fact]
    public async Task Other_jobs_keep_flowing_while_a_poison_job_waits_for_its_retry()
    {
        // A long backoff keeps the order below independent of how busy the machine is.
        var options = Fast with { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(2) };
        var queue = await CreateAsync(options);
        var poison = await queue.EnqueueAsync(new JobRequest("poison", "acme", "{}"), null, None);
        var received = new List<string>();
        var firstAttempt = await ReceiveAsync(queue);
        received.Add(firstAttempt.Type);
        await queue.FailAsync(firstAttempt, "boom", None);

        for (var i = 0; i < 10; i++)
        {
            await queue.EnqueueAsync(Report("acme", $"{i}"), null, None);
            var lease = await ReceiveAsync(queue);
            received.Add(lease.Type == "poison" ? "poison" : lease.Payload);
            await queue.AckAsync(lease, None);
        }

        var lastAttempt = await ReceiveAsync(queue);
        received.Add(lastAttempt.Type);
        var outcome = await queue.FailAsync(lastAttempt, "boom", None);

        Assert.Equal(["poison", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "poison"], received);
        Assert.Equal((poison.Id, 2, JobFailOutcome.DeadLettered), (lastAttempt.Id, lastAttempt.Attempt, outcome));
    }

    [Fact]
    public async Task A_job_held_by_a_crashed_consumer_is_delivered_again_and_dead_lettered_on_its_last_attempt()
    {
        var options = Fast with { MaxAttempts = 2 };
        var queue = await CreateAsync(options);
        var job = await queue.EnqueueAsync(Report("acme", """{"big":true}"""), null, None);
        var first = await ReceiveAsync(queue);

        var afterFirstCrash = await ReopenAfterCrashAsync(queue, options);
        var second = await ReceiveAsync(afterFirstCrash);
        var afterSecondCrash = await ReopenAfterCrashAsync(afterFirstCrash, options);
        // A broker dead-letters the returned delivery on its own time after the connection closed (ADR 6): allow it the
        // time counts may lag; an exact queue has it at once.
        var dead = await afterSecondCrash.GetDeadAsync(job.Id, None);
        for (var settle = Stopwatch.StartNew(); dead is null && settle.Elapsed < CountsSettleWithin; dead = await afterSecondCrash.GetDeadAsync(job.Id, None))
        {
            await Task.Delay(50);
        }

        Assert.Equal((job.Id, 1), (first.Id, first.Attempt));
        Assert.Equal((job.Id, 2, """{"big":true}"""), (second.Id, second.Attempt, second.Payload));
        Assert.NotNull(dead);
        Assert.Equal(2, dead.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(dead.LastError));
        Assert.Null(await ReceiveWithinAsync(afterSecondCrash, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Waiting_and_delayed_jobs_survive_a_crash()
    {
        var queue = await CreateAsync(Fast);
        var now = await queue.EnqueueAsync(Report("acme", "now"), null, None);
        var later = await queue.EnqueueAsync(Report("acme", "later"), TimeSpan.FromMilliseconds(300), None);

        var reopened = await ReopenAfterCrashAsync(queue, Fast);
        var first = await ReceiveAsync(reopened);
        var second = await ReceiveAsync(reopened);

        Assert.Equal([(now.Id, "now", 1), (later.Id, "later", 1)], [(first.Id, first.Payload, first.Attempt), (second.Id, second.Payload, second.Attempt)]);
    }

    [Fact]
    public async Task A_lease_that_ends_without_an_ack_delivers_the_job_again_and_acknowledges_nothing()
    {
        var queue = await CreateAsync(Fast);
        var job = await queue.EnqueueAsync(Report("acme"), null, None);
        var clock = Stopwatch.StartNew();

        var first = await ReceiveAsync(queue, TimeSpan.FromMilliseconds(200));
        var second = await ReceiveAsync(queue);
        var elapsed = clock.Elapsed;

        Assert.Equal((job.Id, 1), (first.Id, first.Attempt));
        Assert.Equal((job.Id, 2), (second.Id, second.Attempt));
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(200) - ClockSlack, $"delivered again after {elapsed.TotalMilliseconds:F0} ms, before the 200 ms lease ended");
        Assert.False(await queue.AckAsync(first, None));
        Assert.Equal(JobFailOutcome.LeaseLost, await queue.FailAsync(first, "late", None));
        Assert.True(await queue.AckAsync(second, None));
    }

    [Fact]
    public async Task A_job_whose_lease_keeps_ending_is_dead_lettered()
    {
        var queue = await CreateAsync(Fast with { MaxAttempts = 2 });
        var job = await queue.EnqueueAsync(Report("acme"), null, None);

        await ReceiveAsync(queue, TimeSpan.FromMilliseconds(100));
        await ReceiveAsync(queue, TimeSpan.FromMilliseconds(100));
        var third = await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(600));

        Assert.Null(third);
        var dead = await queue.GetDeadAsync(job.Id, None);
        Assert.NotNull(dead);
        Assert.Equal(2, dead.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(dead.LastError));
    }

    [Fact]
    public async Task An_extended_lease_keeps_the_job()
    {
        var queue = await CreateAsync(Fast);
        await queue.EnqueueAsync(Report("acme"), null, None);
        var lease = await ReceiveAsync(queue, TimeSpan.FromSeconds(1));

        var extended = await queue.ExtendLeaseAsync(lease, TimeSpan.FromSeconds(10), None);
        var meanwhile = await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(1_500));

        Assert.NotNull(extended);
        Assert.True(extended.LeasedUntil > lease.LeasedUntil);
        Assert.Null(meanwhile);
        Assert.True(await queue.AckAsync(extended, None));
    }

    [Fact]
    public async Task A_delayed_job_is_not_received_before_its_delay()
    {
        var queue = await CreateAsync(Fast);
        var clock = Stopwatch.StartNew();
        var later = await queue.EnqueueAsync(Report("acme", "later"), TimeSpan.FromMilliseconds(400), None);
        var now = await queue.EnqueueAsync(Report("acme", "now"), null, None);
        var pending = await queue.ListPendingAsync(10, None);

        var first = await ReceiveAsync(queue);
        var second = await ReceiveAsync(queue);
        var secondAt = clock.Elapsed;

        if (ListsEveryWaitingJob)
        {
            Assert.Equal([now.Id, later.Id], pending.Select(p => p.Id));
            Assert.True(pending[1].DueAt - pending[1].EnqueuedAt >= TimeSpan.FromMilliseconds(400));
        }

        Assert.Equal(now.Id, first.Id);
        Assert.Equal(later.Id, second.Id);
        Assert.True(secondAt >= TimeSpan.FromMilliseconds(400) - ClockSlack, $"the delayed job came after {secondAt.TotalMilliseconds:F0} ms");
        Assert.True(secondAt < TimeSpan.FromMilliseconds(2_400), $"the delayed job came after {secondAt.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task One_tenants_thousand_jobs_do_not_starve_another_tenants_job()
    {
        var queue = await CreateAsync(Fast);
        await queue.EnqueueManyAsync([.. Enumerable.Range(0, 1_000).Select(i => Report("big", $"{i}"))], null, None);
        var small = await queue.EnqueueAsync(Report("small"), null, None);
        var system = await queue.EnqueueAsync(Report(null), null, None);

        var firstThree = new List<JobLease>();
        for (var i = 0; i < 3; i++)
        {
            firstThree.Add(await ReceiveAsync(queue));
            await queue.AckAsync(firstThree[^1], None);
        }

        if (TenantsTakeTurnsAcrossTheBacklog)
        {
            Assert.Contains(small.Id, firstThree.Select(l => l.Id));
            Assert.Contains(system.Id, firstThree.Select(l => l.Id));
            Assert.Equal("0", firstThree.Single(l => l.Tenant == "big").Payload);
        }

        var counts = await queue.CountAsync(None);
        for (var settle = Stopwatch.StartNew(); counts != new JobQueueCounts(999, 0, 0) && settle.Elapsed < CountsSettleWithin; counts = await queue.CountAsync(None))
        {
            await Task.Delay(50);
        }

        Assert.Equal(new JobQueueCounts(999, 0, 0), counts);
    }

    [Fact]
    public async Task A_job_id_is_enqueued_once_while_it_waits_runs_or_is_dead()
    {
        var queue = await CreateAsync(Fast with { MaxAttempts = 1 });
        var request = Report("acme", id: "report:acme:2026-03-01");

        var first = await queue.EnqueueAsync(request, null, None);
        var again = await queue.EnqueueAsync(request, null, None);
        var lease = await ReceiveAsync(queue);
        var whileLeased = await queue.EnqueueAsync(request, null, None);
        await queue.FailAsync(lease, "boom", None);
        var whileDead = await queue.EnqueueAsync(request, null, None);

        Assert.All([first, again, whileLeased, whileDead], e => Assert.Equal("report:acme:2026-03-01", e.Id));
        if (!EnqueueIsOncePerId)
        {
            // Duplicates go in and say so; the scheduler's ids and idempotent handlers make their runs harmless (ADR 5, 6).
            Assert.Equal([true, true, true, true], [first.Added, again.Added, whileLeased.Added, whileDead.Added]);
            return;
        }

        Assert.Equal([true, false, false, false], [first.Added, again.Added, whileLeased.Added, whileDead.Added]);
        Assert.Null(await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(new JobQueueCounts(0, 0, 1), await queue.CountAsync(None));
    }

    [Fact]
    public async Task A_refresh_of_a_leased_job_runs_it_once_more_after_the_attempt_ends()
    {
        var queue = await CreateAsync(Fast with { MaxAttempts = 1 });
        var request = Report("acme", """{"day":1}""", id: "report:acme:2026-03-01") with { Refresh = true };

        await queue.EnqueueAsync(request, null, None);
        var whileWaiting = await queue.EnqueueAsync(request, null, None);
        var lease = await ReceiveAsync(queue);
        var whileLeased = await queue.EnqueueAsync(request, null, None);
        var twiceWhileLeased = await queue.EnqueueAsync(request, null, None);
        if (!EnqueueIsOncePerId)
        {
            // Every request is its own job (ADR 6): each runs after the attempt that may have read the day too early.
            Assert.Equal([true, true, true], [whileWaiting.Added, whileLeased.Added, twiceWhileLeased.Added]);
            return;
        }

        var acknowledged = await queue.AckAsync(lease, None);
        var again = await ReceiveAsync(queue);
        var againAcknowledged = await queue.AckAsync(again, None);

        Assert.Equal([false, true, true], [whileWaiting.Added, whileLeased.Added, twiceWhileLeased.Added]);
        Assert.True(acknowledged);
        Assert.Equal(("report:acme:2026-03-01", 1, """{"day":1}"""), (again.Id, again.Attempt, again.Payload));
        Assert.True(againAcknowledged);
        Assert.Null(await ReceiveWithinAsync(queue, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(new JobQueueCounts(0, 0, 0), await queue.CountAsync(None));
    }

    [Fact]
    public async Task A_refreshed_job_runs_again_with_fresh_attempts_when_its_last_attempt_fails_or_its_process_dies()
    {
        if (!EnqueueIsOncePerId)
        {
            return; // each request is its own job (above)
        }

        var options = Fast with { MaxAttempts = 1 };
        var queue = await CreateAsync(options);
        var request = Report("acme", id: "report:acme:2026-03-02") with { Refresh = true };
        await queue.EnqueueAsync(request, null, None);
        var failing = await ReceiveAsync(queue);
        await queue.EnqueueAsync(request, null, None);

        var outcome = await queue.FailAsync(failing, "boom", None);
        var crashing = await ReceiveAsync(queue);
        await queue.EnqueueAsync(request, null, None);
        var reopened = await ReopenAfterCrashAsync(queue, options);
        var last = await ReceiveAsync(reopened);
        await reopened.AckAsync(last, None);

        // Without the refreshes the first failure dead-letters the job (MaxAttempts = 1), and so would the crash.
        Assert.Equal(JobFailOutcome.Retrying, outcome);
        Assert.Equal([1, 1, 1], [failing.Attempt, crashing.Attempt, last.Attempt]);
        Assert.Null(await reopened.GetDeadAsync(request.Id!, None));
        Assert.Null(await ReceiveWithinAsync(reopened, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(new JobQueueCounts(0, 0, 0), await reopened.CountAsync(None));
    }
}
