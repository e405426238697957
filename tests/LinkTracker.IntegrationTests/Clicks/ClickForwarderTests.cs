using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LinkTracker.Clicks;
using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>The edge's forwarder over a real segment journal, with a recording publisher in place of the broker.</summary>
public sealed class ClickForwarderTests : IAsyncDisposable
{
    private readonly TempFolder _data = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private PendingClicks? _pending;
    private readonly RecordingPublisher _publisher = new();
    private SegmentClickJournal? _journal;
    private ClickForwarderWorker? _worker;

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
        }

        _journal?.Dispose();
        _pending?.Dispose();
        await _meters.DisposeAsync();
        _data.Dispose();
    }

    private async Task<SegmentClickJournal> StartAsync(int batchSize, int lingerMilliseconds)
    {
        _journal = new SegmentClickJournal(Path.Combine(_data.Path, "journal"), syncEachAppend: false, NullLogger<SegmentClickJournal>.Instance);
        await _journal.MigrateAsync(CancellationToken.None);
        _pending = new PendingClicks(_journal);
        var metrics = new ClickMetrics(_meters.GetRequiredService<IMeterFactory>(), _pending, TimeProvider.System);
        var options = Options.Create(new ForwarderOptions { BatchSize = batchSize, LingerMilliseconds = lingerMilliseconds });
        _worker = new ClickForwarderWorker(new JournalInbox(_journal, _pending), _publisher, _pending, metrics, TimeProvider.System, options, NullLogger<ClickForwarderWorker>.Instance);
        await _worker.StartAsync(CancellationToken.None);
        return _journal;
    }

    private async Task AppendAsync(SegmentClickJournal journal, int count, DateTimeOffset? at = null)
    {
        var clicks = Enumerable.Range(0, count).Select(i => new Click(Guid.CreateVersion7(), "acme", "c", $"r{i}", at ?? DateTimeOffset.UtcNow, null, null, null, ClickFlags.None)).ToList();
        await journal.AppendAsync(clicks, CancellationToken.None);
        _pending!.Appended();
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_few_clicks_wait_for_company_then_go_as_one_message()
    {
        var journal = await StartAsync(batchSize: 100, lingerMilliseconds: 2_000);

        await AppendAsync(journal, 10);
        await Task.Delay(500);
        var earlyMessages = _publisher.Messages.Count;
        await AppendAsync(journal, 15);
        await WaitForAsync(() => !_publisher.Messages.IsEmpty, TimeSpan.FromSeconds(10), "the lingering clicks were never forwarded");

        Assert.Equal(0, earlyMessages);
        Assert.Equal([25], _publisher.Messages.Select(m => m.Count));
        Assert.Empty(journal.CountPending());
    }

    [Fact]
    public async Task A_full_message_goes_at_once_without_lingering()
    {
        var journal = await StartAsync(batchSize: 100, lingerMilliseconds: 5_000);

        await AppendAsync(journal, 100);

        await WaitForAsync(() => !_publisher.Messages.IsEmpty, TimeSpan.FromSeconds(3), "a full message waited for the linger time");
        Assert.Equal([100], _publisher.Messages.Select(m => m.Count));
    }

    [Fact]
    public async Task Clicks_stamped_ahead_of_the_clock_linger_no_longer_than_the_setting()
    {
        var journal = await StartAsync(batchSize: 100, lingerMilliseconds: 300);

        // The clock stepped back an hour after these redirects.
        await AppendAsync(journal, 5, DateTimeOffset.UtcNow.AddHours(1));

        await WaitForAsync(() => !_publisher.Messages.IsEmpty, TimeSpan.FromSeconds(5), "clicks from before a clock step waited for the step");
    }

    [Fact]
    public async Task Stopping_forwards_what_lingers()
    {
        var journal = await StartAsync(batchSize: 100, lingerMilliseconds: 60_000);
        await AppendAsync(journal, 7);
        await Task.Delay(300);

        await _worker!.StopAsync(CancellationToken.None);

        Assert.Equal([7], _publisher.Messages.Select(m => m.Count));
        Assert.Empty(journal.CountPending());
    }

    private sealed class RecordingPublisher : IClickPublisher
    {
        public ConcurrentQueue<IReadOnlyList<Click>> Messages { get; } = new();

        public Task PublishAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
        {
            Messages.Enqueue([.. clicks]);
            return Task.CompletedTask;
        }
    }
}
