using LinkTracker.Core.Links;

namespace LinkTracker.Tests.Imports;

public sealed class ImportLedgerTests
{
    private static readonly DateTimeOffset H1 = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset H2 = H1.AddHours(5);

    [Fact]
    public void A_new_entry_adds_its_clicks_to_tenant_link_and_campaign_and_a_replaced_one_moves_them()
    {
        var first = new ImportedLink("a", "csv", null, null, 10, 8, H1, "spring");
        var second = first with { Clicks = 15, HumanClicks = 15, Hour = H2, Campaign = null };

        var added = ImportLedger.RollupDeltas([(null, first)]);
        var moved = ImportLedger.RollupDeltas([(first, second)]);

        Assert.Equal((10L, 8L), added[("*", H1)]);
        Assert.Equal((10L, 8L), added[("l:a", H1)]);
        Assert.Equal((10L, 8L), added[("c:spring", H1)]);
        Assert.Equal((-10L, -8L), moved[("c:spring", H1)]);
        Assert.Equal((15L, 15L), moved[("*", H2)]);
        Assert.Equal(5, moved.Count);
        Assert.False(ImportLedger.Changes(first, first with { }));
        Assert.Empty(ImportLedger.RollupDeltas([(first, first with { Title = "now with a title" })]));
    }

    [Fact]
    public void The_hour_of_a_time_is_its_utc_hour()
    {
        Assert.Equal(H1, ImportLedger.HourOf(new DateTimeOffset(2024, 1, 1, 12, 59, 59, TimeSpan.FromHours(2))));
    }
}
