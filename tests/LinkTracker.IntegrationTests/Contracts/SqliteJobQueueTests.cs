using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Contracts;

public sealed class SqliteJobQueueTests : JobQueueContract, IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteJobQueue> _queues = [];

    protected override Task<IJobQueue> CreateAsync(JobQueueOptions options) => OpenAsync(options);

    protected override async Task<IJobQueue> ReopenAfterCrashAsync(IJobQueue crashed, JobQueueOptions options)
    {
        // Disposing writes nothing to jobs.db: it only frees jobs.lock, as the OS does when a process dies.
        await ((SqliteJobQueue)crashed).DisposeAsync();
        return await OpenAsync(options);
    }

    [Fact]
    public async Task A_second_queue_on_the_same_folder_is_refused_but_may_inspect_it()
    {
        var owner = await OpenAsync(Fast);
        await owner.EnqueueAsync(new JobRequest("report", "acme", "{}"), null, CancellationToken.None);
        var other = New(Fast);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => other.ReceiveAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        var counts = await other.CountAsync(CancellationToken.None);

        Assert.Contains("jobs.lock", refused.Message);
        Assert.Equal(new JobQueueCounts(1, 0, 0), counts);
    }

    [Fact]
    public async Task Every_change_is_in_the_file_when_the_call_returns()
    {
        var queue = await OpenAsync(Fast);
        await queue.EnqueueAsync(new JobRequest("report", "acme", "{}", "r1"), TimeSpan.FromMinutes(5), CancellationToken.None);
        await queue.EnqueueAsync(new JobRequest("report", "acme", "{}", "r2"), null, CancellationToken.None);
        var lease = await queue.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await queue.FailAsync(lease!, "boom", CancellationToken.None);

        // A reader that is not the owner sees only the file.
        var pending = await New(Fast).ListPendingAsync(10, CancellationToken.None);

        Assert.Equal(
            [("r2", 1, "boom", false), ("r1", 0, null, false)],
            pending.Select(p => (p.Id, p.Attempts, p.LastError, p.LeasedUntil.HasValue)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        _folder.Dispose();
    }

    private SqliteJobQueue New(JobQueueOptions options)
    {
        var queue = new SqliteJobQueue(new SqliteDatabases(_folder.Path), options, TimeProvider.System);
        _queues.Add(queue);
        return queue;
    }

    private async Task<IJobQueue> OpenAsync(JobQueueOptions options)
    {
        var queue = New(options);
        await queue.MigrateAsync(CancellationToken.None);
        return queue;
    }
}
