using CsCheck;
using LinkTracker.Core.Clicks;
using LinkTracker.RabbitMq.Clicks;

namespace LinkTracker.Tests.Clicks;

/// <summary>
/// The broker inbox's bookkeeping (<see cref="ClickDeliveries"/>) against <see cref="BrokerModel"/>: random deliveries,
/// takes, stored and failed writes, late acknowledgements, failed broker acks and lost channels.
/// </summary>
public class ClickDeliveriesModelTests
{
    private static readonly string[] Tenants = ["a", "b", "c"];
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000);

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (5, Gen.Select(Gen.Int[0, 2], Gen.Frequency((1, Gen.Const(0)), (5, Gen.Int[1, 64]), (4, Gen.Int[1, 5_000])), (t, n) => (Op)new Arrive(t, n))),
        (7, Gen.Select(Gen.Int[0, 2], Gen.Frequency((1, Gen.Int[1, 8]), (2, Gen.Int[1, 2_000])), Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))), Gen.Frequency((8, Gen.Const(-1)), (1, Gen.Int[0, 2])), (t, max, ack, failAt) => (Op)new Take(t, max, ack, failAt))),
        (1, Gen.Int[0, 5].Select(back => (Op)new AckOld(back))),
        (1, Gen.Const((Op)new LoseChannel())),
        (1, Gen.Int[0, 2].Select(t => (Op)new StaleDelivery(t))));

    [Fact]
    public void Takes_acknowledgements_and_lost_channels_follow_the_model() =>
        GenOp.Array[1, 60].Sample(Run, time: 8, threads: 1, print: ops => string.Join("\n", ops.Select(o => o.ToString())));

    private static void Run(Op[] ops)
    {
        var sut = new ClickDeliveries();
        var model = new BrokerModel();
        var takes = new List<Taken>();
        var minted = 0;
        Click[] NewClicks(string tenant, int n) =>
            [.. Enumerable.Range(0, n).Select(_ => new Click(Guid.NewGuid(), tenant, "c", null, Epoch.AddMilliseconds(minted++), null, null, null, ClickFlags.None))];

        foreach (var op in ops)
        {
            switch (op)
            {
                case Arrive(var t, var n):
                    var clicks = NewClicks(Tenants[t], n);
                    Assert.True(sut.Add(Tenants[t], sut.Generation, model.Publish(Tenants[t], clicks).Tag, clicks));
                    break;
                case Take take:
                    TakeOnce(sut, model, takes, Tenants[take.Tenant], take.Max, take.Ack, take.BrokerFailsAt);
                    break;
                case AckOld(var back) when takes.Count > 0:
                    Acknowledge(sut, model, takes[takes.Count - 1 - (back % takes.Count)], brokerFailsAt: -1);
                    break;
                case LoseChannel:
                    sut.Forget();
                    foreach (var (tenant, d) in model.LoseChannel())
                    {
                        Assert.True(sut.Add(tenant, sut.Generation, d.Tag, d.Message.Clicks));
                    }

                    break;
                case StaleDelivery(var t) when sut.Generation > 0:
                    Assert.False(sut.Add(Tenants[t], sut.Generation - 1, 1, NewClicks(Tenants[t], 3)), "a delivery of a lost channel was kept");
                    break;
            }

            AssertCounts(sut, model);
        }

        // The writer drains what is left: every message is acked once, every click stored.
        for (var round = 0; sut.TenantsWithWork().Count > 0; round++)
        {
            Assert.True(round < 10_000, "the inbox never emptied");
            foreach (var tenant in sut.TenantsWithWork())
            {
                TakeOnce(sut, model, takes, tenant, 2_000, ack: true, brokerFailsAt: -1);
            }
        }

        AssertCounts(sut, model);
        Assert.Empty(model.AllUnacked());
        Assert.Equal(ops.OfType<Arrive>().Count(), model.Acked.Count);
        Assert.True(model.Stored.IsSupersetOf(model.Acked.SelectMany(m => m.Clicks).Select(c => c.Id)), "a published click was never stored");
    }

    private static void TakeOnce(ClickDeliveries sut, BrokerModel model, List<Taken> takes, string tenant, int max, bool ack, int brokerFailsAt)
    {
        var expected = model.Take(tenant, max);
        var taken = sut.Take(tenant, max);
        if (expected is not { } e)
        {
            Assert.Null(taken);
            return;
        }

        Assert.NotNull(taken);
        Assert.Equal(e.Clicks.Select(c => c.Id), taken.Clicks.Select(c => c.Id));
        Assert.DoesNotContain(taken.Clicks, c => model.AckedClicks.Contains(c.Id)); // only clicks of unacked messages come back
        takes.Add(new Taken(tenant, model.Generation, taken, e.Clicks, e.Parts));
        if (ack)
        {
            Acknowledge(sut, model, takes[^1], brokerFailsAt);
        }
    }

    /// <summary>The writer stored a take's clicks: exactly the deliveries now stored whole are acked to the broker, in order.</summary>
    private static void Acknowledge(ClickDeliveries sut, BrokerModel model, Taken take, int brokerFailsAt)
    {
        var due = model.Store(take.Tenant, take.Generation, take.Clicks, take.Parts);
        var complete = sut.Stored(take.Tenant, take.Sut.Parts);
        Assert.Equal(due.Select(d => d.Tag), complete.Select(d => d.Tag));
        for (var k = 0; k < complete.Count && k != brokerFailsAt; k++)
        {
            Assert.True(model.Stored.IsSupersetOf(due[k].Message.Clicks.Select(c => c.Id)), "a message was acked before all its clicks were stored");
            model.Ack(take.Tenant, due[k]);
            sut.Acknowledged(take.Tenant, complete[k]);
        }
    }

    private static void AssertCounts(ClickDeliveries sut, BrokerModel model)
    {
        Assert.Equal(model.Generation, sut.Generation);
        Assert.Equal(model.TenantsWithWork(), sut.TenantsWithWork());
        foreach (var tenant in Tenants)
        {
            Assert.Equal(model.Waiting(tenant), sut.Waiting(tenant));
        }

        Assert.Equal(model.OldestWaiting(), sut.OldestWaiting());
    }

    private sealed record Taken(string Tenant, long Generation, ClickDeliveries.Taken Sut, List<Click> Clicks, List<(BrokerModel.Delivered Delivery, int End)> Parts);

    private abstract record Op;

    private sealed record Arrive(int Tenant, int Clicks) : Op;

    /// <summary>A write of the take: stored and acknowledged, or failed (no ack); the broker may refuse the n-th message's ack.</summary>
    private sealed record Take(int Tenant, int Max, bool Ack, int BrokerFailsAt) : Op;

    /// <summary>A late acknowledgement of an earlier take, possibly of a channel already lost.</summary>
    private sealed record AckOld(int Back) : Op;

    private sealed record LoseChannel : Op;

    /// <summary>A delivery of a lost channel arriving after the loss.</summary>
    private sealed record StaleDelivery(int Tenant) : Op;
}
