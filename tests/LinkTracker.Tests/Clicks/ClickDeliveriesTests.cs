using LinkTracker.Core.Clicks;
using LinkTracker.RabbitMq.Clicks;

namespace LinkTracker.Tests.Clicks;

/// <summary>The broker inbox's bookkeeping by example; the cases the model test found or guards come first.</summary>
public class ClickDeliveriesTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    private static Click[] Clicks(int n, int from = 0) =>
        [.. Enumerable.Range(from, n).Select(i => new Click(Guid.NewGuid(), "a", "c", null, At.AddSeconds(i), null, null, null, ClickFlags.None))];

    [Fact]
    public void A_message_without_clicks_first_in_line_does_not_hide_the_clicks_behind_it_from_the_lag()
    {
        // Found by the model test: the oldest waiting click was looked for in each tenant's first delivery only.
        var deliveries = new ClickDeliveries();
        var clicks = Clicks(3);
        deliveries.Add("a", 0, 1, []);
        deliveries.Add("a", 0, 2, clicks);

        Assert.Equal(clicks[0].At, deliveries.OldestWaiting());
    }

    [Fact]
    public void A_message_without_clicks_is_acked_with_the_take_that_carries_it()
    {
        var deliveries = new ClickDeliveries();
        deliveries.Add("a", 0, 1, []);

        var take = deliveries.Take("a", 10)!;

        Assert.Empty(take.Clicks);
        Assert.Equal([1UL], deliveries.Stored("a", take.Parts).Select(d => d.Tag));
    }

    [Fact]
    public void A_message_larger_than_a_take_is_acked_only_with_its_last_part()
    {
        var deliveries = new ClickDeliveries();
        var clicks = Clicks(5);
        deliveries.Add("a", 0, 7, clicks);

        var first = deliveries.Take("a", 3)!;
        var firstDue = deliveries.Stored("a", first.Parts);
        var second = deliveries.Take("a", 3)!;
        var secondDue = deliveries.Stored("a", second.Parts);

        Assert.Equal(clicks[..3], first.Clicks);
        Assert.Empty(firstDue);
        Assert.Equal(clicks[3..], second.Clicks);
        Assert.Equal([7UL], secondDue.Select(d => d.Tag));
    }

    [Fact]
    public void A_late_acknowledgement_of_an_older_take_does_not_move_a_message_back()
    {
        var deliveries = new ClickDeliveries();
        var clicks = Clicks(10);
        deliveries.Add("a", 0, 1, clicks);
        var older = deliveries.Take("a", 2)!; // its write seemed to fail, then committed after all
        deliveries.Stored("a", deliveries.Take("a", 6)!.Parts);

        deliveries.Stored("a", older.Parts);

        Assert.Equal(clicks[6..], deliveries.Take("a", 100)!.Clicks);
        Assert.Equal(4, deliveries.Waiting("a"));
    }

    [Fact]
    public void After_a_failed_broker_ack_the_next_take_carries_the_stored_message_and_acks_it_again()
    {
        var deliveries = new ClickDeliveries();
        var clicks = Clicks(4);
        deliveries.Add("a", 0, 1, clicks);
        var due = deliveries.Stored("a", deliveries.Take("a", 10)!.Parts);
        Assert.Single(due); // ...and the broker refused that ack: Acknowledged is not called

        var again = deliveries.Take("a", 10)!;

        Assert.Empty(again.Clicks); // stored already: not written twice
        Assert.Equal(0, deliveries.Waiting("a"));
        Assert.Equal(["a"], deliveries.TenantsWithWork());
        Assert.Same(due[0], Assert.Single(deliveries.Stored("a", again.Parts)));
    }

    [Fact]
    public void A_lost_channel_drops_its_deliveries_and_its_takes_acknowledge_nothing()
    {
        var deliveries = new ClickDeliveries();
        deliveries.Add("a", 0, 1, Clicks(4));
        var take = deliveries.Take("a", 10)!;

        deliveries.Forget();
        var late = deliveries.Add("a", 0, 2, Clicks(1, 4));
        deliveries.Add("a", 1, 1, Clicks(4));

        Assert.False(late);
        Assert.Empty(deliveries.Stored("a", take.Parts));
        Assert.Equal(4, deliveries.Waiting("a"));
    }
}
