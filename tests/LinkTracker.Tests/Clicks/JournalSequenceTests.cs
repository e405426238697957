using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Tests.Clicks;

public sealed class JournalSequenceTests
{
    [Theory]
    [InlineData(1L, 0)]
    [InlineData(1L, 63)]
    [InlineData(1L, 64)] // the P0: 64 & 999,999 == 0
    [InlineData(7L, 1_000)]
    [InlineData(123_456_789L, ClickCodec.MaxClicks - 1)]
    public void A_sequence_unpacks_to_the_record_and_index_it_was_made_from(long record, int index) =>
        Assert.Equal((record, index), SegmentClickJournal.Position(SegmentClickJournal.Sequence(record, index)));

    [Fact]
    public void Sequences_keep_the_order_of_records_then_indexes()
    {
        Assert.True(SegmentClickJournal.Sequence(1, ClickCodec.MaxClicks - 1) < SegmentClickJournal.Sequence(2, 0));
        Assert.True(SegmentClickJournal.Sequence(2, 63) < SegmentClickJournal.Sequence(2, 64));
    }
}
