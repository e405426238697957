using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Segments;

public sealed class SqliteSegmentStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task A_run_whose_segment_was_deleted_meanwhile_keeps_no_recipients()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        await new SqliteClickStore(databases).WriteAsync("acme", [new Click(Guid.CreateVersion7(Now), "acme", "a", "ann", Now, "test", null, null, ClickFlags.None)], CancellationToken.None);
        var store = new SqliteSegmentStore(databases);
        await store.AddAsync("acme", new Segment("seg_0000000000000001", "s", "{\"clicked\": {}}", Now, Now), CancellationToken.None);
        await store.QueueRunAsync("acme", new SegmentRun("run_0000000000000001", "seg_0000000000000001", "{\"clicked\": {}}", SegmentRunState.Queued, Now), 3, CancellationToken.None);
        var run = await store.StartNextRunAsync("acme", Now, Now.AddMinutes(1), CancellationToken.None);

        var stored = await store.StoreRecipientsAsync("acme", run!.Id, SegmentSql.Compile(new ClickedFilter(new ClickConditions()), SegmentDialect.Sqlite, Now), new SegmentRunLimits(TimeSpan.FromSeconds(30), 64), CancellationToken.None);
        await store.DeleteAsync("acme", "seg_0000000000000001", CancellationToken.None);
        await store.FinishRunAsync("acme", run with { State = SegmentRunState.Completed, FinishedAt = Now, AsOf = Now, Recipients = stored }, CancellationToken.None);

        Assert.Equal(1, stored);
        Assert.Empty(await store.ListRecipientsAsync("acme", run.Id, null, 10, CancellationToken.None));
    }
}
