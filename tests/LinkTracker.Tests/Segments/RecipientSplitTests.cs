using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;

namespace LinkTracker.Tests.Segments;

public sealed class RecipientSplitTests
{
    [Fact]
    public void The_sampled_ids_spread_evenly_over_the_clicks_time_span_in_id_order()
    {
        var oldest = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var newest = oldest.AddDays(31);

        var ids = RecipientSplit.SampleIds(oldest, newest);

        Assert.Equal(RecipientSplit.Samples, ids.Count);
        Assert.Equal(ClickIdBounds.SmallestAt(oldest.AddDays(0.5)), ids[0]); // (0 + ½) / 31 of 31 days
        Assert.Equal(ClickIdBounds.SmallestAt(oldest.AddDays(15.5)), ids[15]);
        Assert.Equal(ClickIdBounds.SmallestAt(oldest.AddDays(30.5)), ids[^1]);
        Assert.Equal(ids.Order(Comparer<Guid>.Create((a, b) => a.CompareTo(b))), ids); // big-endian Guid order is time order here
    }

    [Fact]
    public void The_split_is_the_middle_of_the_sorted_sample_and_none_when_there_is_nothing_to_cut()
    {
        Assert.Equal("m", RecipientSplit.Middle(["a", "c", "m", "x", "z"]));
        Assert.Equal("c", RecipientSplit.Middle(["a", "c"]));
        Assert.Null(RecipientSplit.Middle([]));
        Assert.Null(RecipientSplit.Middle(["a"]));
        Assert.Null(RecipientSplit.Middle(["a", "a", "a"]));
    }
}
