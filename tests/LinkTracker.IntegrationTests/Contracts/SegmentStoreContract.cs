using LinkTracker.Core.Segments;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>What every segment store must do with a segment's runs; one subclass per engine runs the same assertions.</summary>
public abstract class SegmentStoreContract
{
    private const string Filter = "{\"clicked\": {}}";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-02T03:00:00.123Z");

    /// <summary>A segment store for one fresh, provisioned tenant named <paramref name="tenant"/>.</summary>
    protected abstract Task<ISegmentStore> CreateAsync(string tenant);

    [Fact]
    public async Task ListRuns_gives_the_segments_runs_in_any_state_newest_requested_first_up_to_the_limit()
    {
        var store = await CreateAsync("acme");
        await AddSegmentAsync(store, "seg_a");
        await AddSegmentAsync(store, "seg_b");
        await QueueAsync(store, "run_1", "seg_a", T0);
        await QueueAsync(store, "run_2", "seg_a", T0.AddSeconds(1));
        await QueueAsync(store, "run_b", "seg_b", T0.AddSeconds(2));
        await QueueAsync(store, "run_3", "seg_a", T0.AddSeconds(3));
        await QueueAsync(store, "run_4", "seg_a", T0.AddSeconds(4));
        var first = await store.StartNextRunAsync("acme", T0.AddSeconds(5), T0.AddMinutes(5), CancellationToken.None);
        var completed = first! with
        {
            State = SegmentRunState.Completed,
            FinishedAt = T0.AddSeconds(6),
            AsOf = T0.AddSeconds(5),
            Recipients = 12,
            RowsRead = 340,
            DurationMs = 1_000,
        };
        await store.FinishRunAsync("acme", completed, CancellationToken.None);
        var second = await store.StartNextRunAsync("acme", T0.AddSeconds(7), T0.AddMinutes(7), CancellationToken.None);
        var failed = second! with { State = SegmentRunState.Failed, FinishedAt = T0.AddSeconds(8), Error = "stopped at the statement limit", DurationMs = 1_001 };
        await store.FinishRunAsync("acme", failed, CancellationToken.None);
        var running = await store.StartNextRunAsync("acme", T0.AddSeconds(9), T0.AddMinutes(9), CancellationToken.None);

        var all = await store.ListRunsAsync("acme", "seg_a", 10, CancellationToken.None);
        var latest = await store.ListRunsAsync("acme", "seg_a", 2, CancellationToken.None);
        var other = await store.ListRunsAsync("acme", "seg_b", 10, CancellationToken.None);

        Assert.Equal(("run_1", "run_2", "run_b"), (first.Id, second.Id, running!.Id)); // run_b belongs to seg_b but shares the tenant's queue
        Assert.Equal(["run_4", "run_3", "run_2", "run_1"], all.Select(r => r.Id));
        Assert.Equal([SegmentRunState.Queued, SegmentRunState.Queued, SegmentRunState.Failed, SegmentRunState.Completed], all.Select(r => r.State));
        Assert.Equal(completed with { LeaseUntil = null }, all[3]);
        Assert.Equal(failed with { LeaseUntil = null }, all[2]);
        Assert.Equal(new SegmentRun("run_4", "seg_a", Filter, SegmentRunState.Queued, T0.AddSeconds(4)), all[0]);
        Assert.Equal(["run_4", "run_3"], latest.Select(r => r.Id));
        Assert.Equal([(running.Id, SegmentRunState.Running)], other.Select(r => (r.Id, r.State)));
    }

    [Fact]
    public async Task ListRuns_breaks_ties_by_id_descending_and_is_empty_for_a_segment_without_runs_or_a_deleted_one()
    {
        var store = await CreateAsync("acme");
        await AddSegmentAsync(store, "seg_a");
        await AddSegmentAsync(store, "seg_b");
        await AddSegmentAsync(store, "seg_c");
        await QueueAsync(store, "run_x", "seg_a", T0);
        await QueueAsync(store, "run_z", "seg_a", T0);
        await QueueAsync(store, "run_y", "seg_a", T0);
        await QueueAsync(store, "run_c", "seg_c", T0);

        var tied = await store.ListRunsAsync("acme", "seg_a", 10, CancellationToken.None);
        var none = await store.ListRunsAsync("acme", "seg_b", 10, CancellationToken.None);
        var unknown = await store.ListRunsAsync("acme", "seg_unknown", 10, CancellationToken.None);
        Assert.True(await store.DeleteAsync("acme", "seg_c", CancellationToken.None));
        var deleted = await store.ListRunsAsync("acme", "seg_c", 10, CancellationToken.None);

        Assert.Equal(["run_z", "run_y", "run_x"], tied.Select(r => r.Id));
        Assert.Empty(none);
        Assert.Empty(unknown);
        Assert.Empty(deleted);
    }

    private static Task AddSegmentAsync(ISegmentStore store, string id) =>
        store.AddAsync("acme", new Segment(id, id, Filter, T0, T0), CancellationToken.None);

    private static async Task QueueAsync(ISegmentStore store, string id, string segmentId, DateTimeOffset requestedAt) =>
        Assert.True(await store.QueueRunAsync("acme", new SegmentRun(id, segmentId, Filter, SegmentRunState.Queued, requestedAt), 100, CancellationToken.None));
}
