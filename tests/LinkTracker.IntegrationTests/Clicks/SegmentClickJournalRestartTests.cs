using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>Regressions the forwarder's model test found in the journal's restarts, as plain examples.</summary>
public sealed class SegmentClickJournalRestartTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private async Task<SegmentClickJournal> OpenAsync()
    {
        var journal = new SegmentClickJournal(Path.Combine(_data.Path, "journal"), syncEachAppend: false, NullLogger<SegmentClickJournal>.Instance);
        await journal.MigrateAsync(CancellationToken.None);
        return journal;
    }

    private static Click NewClick(string tenant) =>
        new(Guid.CreateVersion7(), tenant, "c", null, DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000), null, null, null, ClickFlags.None);

    [Fact]
    public async Task Acknowledged_clicks_do_not_come_back_after_a_second_clean_restart_while_another_tenant_keeps_their_segment()
    {
        var journal = await OpenAsync();
        await journal.AppendAsync([NewClick("a"), NewClick("b")], CancellationToken.None); // one segment, a record each
        var a = await journal.ReadAsync("a", 10, CancellationToken.None);
        await journal.AcknowledgeAsync("a", a[^1].Sequence, CancellationToken.None);
        journal.Dispose(); // b still waits: the segment stays, a's record in it is acknowledged in journal/acks

        using (var second = await OpenAsync())
        {
            Assert.Equal(new Dictionary<string, long> { ["b"] = 1 }, second.CountPending());
        } // a second clean stop rewrites journal/acks: it used to leave a out, having read none of a's records

        using var third = await OpenAsync();
        Assert.Equal(new Dictionary<string, long> { ["b"] = 1 }, third.CountPending());
        Assert.Empty(await third.ReadAsync("a", 10, CancellationToken.None));
    }
}
