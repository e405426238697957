using LinkTracker.Sqlite;

namespace LinkTracker.Tests.Jobs;

/// <summary>The embedded queue's in-memory schedule: turns per tenant, delayed jobs and lease ends. Times are Unix ms.</summary>
public class JobScheduleTests
{
    private const long Now = 1_000_000;
    private long _seq;

    private ScheduledJob Job(string? tenant, long due = Now, string? id = null)
    {
        var seq = ++_seq;
        return new ScheduledJob(seq, id ?? $"job-{seq}", "report", tenant, Now) { Due = due };
    }

    private static List<string> TakeAll(JobSchedule schedule)
    {
        var taken = new List<string>();
        while (schedule.TakeNext() is { } job)
        {
            taken.Add(job.Id);
        }

        return taken;
    }

    [Fact]
    public void An_empty_schedule_gives_nothing_and_never_wakes()
    {
        var schedule = new JobSchedule();

        Assert.Null(schedule.TakeNext());
        Assert.False(schedule.HasReady);
        Assert.Null(schedule.NextWakeUp);
        Assert.Null(schedule.TakeEndedLease(long.MaxValue));
    }

    [Fact]
    public void Tenants_take_turns_and_each_gives_its_oldest_due_job_first()
    {
        var schedule = new JobSchedule();
        foreach (var job in (ScheduledJob[])[Job("big", id: "big-1"), Job("big", id: "big-2"), Job("big", id: "big-3"), Job("small", id: "small-1"), Job(null, id: "system-1"), Job("small", id: "small-2")])
        {
            schedule.Add(job, Now);
        }

        Assert.Equal(["big-1", "small-1", "system-1", "big-2", "small-2", "big-3"], TakeAll(schedule));
        Assert.False(schedule.HasReady);
    }

    [Fact]
    public void Within_a_tenant_the_earliest_due_goes_first_and_equal_due_times_keep_their_order()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", due: Now - 10, id: "later-seq-but-older"), Now);
        schedule.Add(Job("acme", due: Now - 20, id: "oldest"), Now);
        schedule.Add(Job("acme", due: Now - 10, id: "same-due-last"), Now);

        Assert.Equal(["oldest", "later-seq-but-older", "same-due-last"], TakeAll(schedule));
    }

    [Fact]
    public void A_delayed_job_is_not_ready_before_its_due_time_and_sets_the_wake_up()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", due: Now + 500, id: "later"), Now);
        schedule.Add(Job("acme", due: Now + 200, id: "sooner"), Now);

        Assert.False(schedule.HasReady);
        Assert.Equal(Now + 200, schedule.NextWakeUp);
        schedule.PromoteDue(Now + 199);
        Assert.Null(schedule.TakeNext());

        schedule.PromoteDue(Now + 200);
        Assert.Equal(["sooner"], TakeAll(schedule));
        Assert.Equal(Now + 500, schedule.NextWakeUp);
        schedule.PromoteDue(Now + 10_000);
        Assert.Equal(["later"], TakeAll(schedule));
        Assert.Equal(0, schedule.DelayedCount);
    }

    [Fact]
    public void A_tenant_that_runs_dry_joins_the_back_of_the_turns_when_it_has_work_again()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("a", id: "a-1"), Now);
        schedule.Add(Job("b", id: "b-1"), Now);
        schedule.Add(Job("b", id: "b-2"), Now);

        Assert.Equal("a-1", schedule.TakeNext()!.Id);
        schedule.Add(Job("a", id: "a-2"), Now);

        Assert.Equal(["b-1", "a-2", "b-2"], TakeAll(schedule));
    }

    [Fact]
    public void A_lease_counts_an_attempt_and_holds_the_job_until_its_end()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "j"), Now);
        var job = schedule.TakeNext()!;

        schedule.Lease(job, Now + 1_000);

        Assert.Equal(1, job.Attempts);
        Assert.Equal(1, schedule.LeasedCount);
        Assert.Same(job, schedule.Holder(job.Token, "j", Now + 999));
        Assert.Null(schedule.Holder(job.Token, "j", Now + 1_000));
        Assert.Null(schedule.Holder(job.Token, "other", Now));
        Assert.Null(schedule.Holder(job.Token + 1, "j", Now));
        Assert.Equal(Now + 1_000, schedule.NextWakeUp);
    }

    [Fact]
    public void Each_delivery_gets_a_new_token_so_an_old_delivery_holds_nothing()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "j"), Now);
        var job = schedule.TakeNext()!;
        schedule.Lease(job, Now + 1_000);
        var first = job.Token;

        schedule.Retry(job, Now + 100, Now);
        schedule.PromoteDue(Now + 100);
        schedule.Lease(schedule.TakeNext()!, Now + 2_000);

        Assert.Equal(2, job.Attempts);
        Assert.NotEqual(first, job.Token);
        Assert.Null(schedule.Holder(first, "j", Now + 150));
        Assert.Same(job, schedule.Holder(job.Token, "j", Now + 150));
    }

    [Fact]
    public void A_lease_ends_once_at_its_end_and_an_extension_moves_the_end()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "j"), Now);
        var job = schedule.TakeNext()!;
        schedule.Lease(job, Now + 1_000);

        schedule.ExtendLease(job, Now + 5_000);

        Assert.Null(schedule.TakeEndedLease(Now + 1_000));
        Assert.Equal(Now + 5_000, schedule.NextWakeUp);
        Assert.Same(job, schedule.Holder(job.Token, "j", Now + 4_999));
        Assert.Same(job, schedule.TakeEndedLease(Now + 5_000));
        Assert.Null(schedule.TakeEndedLease(Now + 5_000));
    }

    [Fact]
    public void An_ended_lease_the_file_refused_to_fail_is_looked_at_again_later()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "j"), Now);
        var job = schedule.TakeNext()!;
        schedule.Lease(job, Now + 100);
        Assert.Same(job, schedule.TakeEndedLease(Now + 100));

        schedule.PostponeEndedLease(job, Now + 1_100);

        Assert.Null(schedule.Holder(job.Token, "j", Now + 200));
        Assert.Null(schedule.TakeEndedLease(Now + 1_099));
        Assert.Same(job, schedule.TakeEndedLease(Now + 1_100));
    }

    [Fact]
    public void An_acknowledged_job_leaves_the_schedule_with_its_lease_end()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "j"), Now);
        var job = schedule.TakeNext()!;
        schedule.Lease(job, Now + 1_000);

        schedule.EndLease(job);

        Assert.Equal(0, schedule.LeasedCount);
        Assert.Null(schedule.NextWakeUp);
        Assert.Null(schedule.TakeEndedLease(long.MaxValue));
        Assert.Null(schedule.TakeNext());
    }

    [Fact]
    public void A_retried_job_waits_for_its_backoff_behind_nobody_else()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "poison"), Now);
        var poison = schedule.TakeNext()!;
        schedule.Lease(poison, Now + 1_000);
        schedule.Add(Job("acme", id: "fine"), Now);

        schedule.Retry(poison, Now + 300, Now);

        Assert.Equal(0, schedule.LeasedCount);
        Assert.Equal(Now + 300, schedule.NextWakeUp);
        Assert.Equal(["fine"], TakeAll(schedule));
        schedule.PromoteDue(Now + 300);
        Assert.Equal(["poison"], TakeAll(schedule));
    }

    [Fact]
    public void A_job_put_back_after_a_failed_lease_is_given_again()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "a-1"), Now);
        schedule.Add(Job("acme", id: "a-2"), Now);
        schedule.Add(Job("beta", id: "b-1"), Now);

        var taken = schedule.TakeNext()!;
        schedule.PutBack(taken);

        Assert.Equal(0, taken.Attempts);
        Assert.Equal(["b-1", "a-1", "a-2"], TakeAll(schedule));
    }

    [Fact]
    public void The_wake_up_is_the_sooner_of_the_next_due_time_and_the_next_lease_end()
    {
        var schedule = new JobSchedule();
        schedule.Add(Job("acme", id: "leased"), Now);
        schedule.Lease(schedule.TakeNext()!, Now + 700);
        schedule.Add(Job("acme", due: Now + 900, id: "delayed"), Now);

        Assert.Equal(Now + 700, schedule.NextWakeUp);
        schedule.Add(Job("beta", due: Now + 400, id: "sooner"), Now);
        Assert.Equal(Now + 400, schedule.NextWakeUp);
    }
}
