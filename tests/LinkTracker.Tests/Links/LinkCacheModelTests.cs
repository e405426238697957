using CsCheck;
using LinkTracker.Links;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Links;

/// <summary>
/// Two nodes' link caches sharing a store and a shared cache, under random interleavings of gets (each read of the
/// shared cache or the store released at a random later point), changes and deletions. The model is the spec: a get
/// that began after a change was answered never returns what the link was before that change.
/// </summary>
public class LinkCacheModelTests
{
    private const string Tenant = "acme";
    private static readonly string[] Codes = ["a", "b"];

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 1], (n, c) => (Op)new Get(n, c))),
        (6, Gen.Int[0, 1_000].Select(i => (Op)new Release(i))),
        (2, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 1], Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))), (n, c, exists) => (Op)new Change(n, c, exists))));

    [Fact]
    public void No_get_begun_after_a_change_was_answered_returns_the_link_as_it_was_before() =>
        GenOp.Array[1, 80].Sample(Run, time: 8, threads: 1, print: ops => string.Join("\n", ops.Select(o => o.ToString())));

    private static void Run(Op[] ops)
    {
        SynchronizationContext.SetSynchronizationContext(null); // continuations run when a step is released
        var world = new LinkCacheWorld();
        var options = Options.Create(new LinkCacheOptions());
        var time = new FakeTimeProvider();
        LinkCache[] nodes = [.. Enumerable.Range(0, 2).Select(_ => new LinkCache(world.Lookup(), options, NullLogger<LinkCache>.Instance, world.Shared(), time: time))];
        foreach (var node in nodes)
        {
            world.Shared().SubscribeAsync(node.InvalidateLocal, CancellationToken.None).GetAwaiter().GetResult();
        }

        var answered = new Dictionary<string, int>(StringComparer.Ordinal); // the version each code had when its last change was answered
        var pending = new List<(Task<CachedLink?> Get, string Code, int AtLeast)>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case Get(var n, var c):
                    pending.Add((nodes[n].GetAsync(Tenant, Codes[c], CancellationToken.None).AsTask(), Codes[c], answered.GetValueOrDefault(Codes[c])));
                    break;
                case Release(var i) when world.PendingSteps > 0:
                    world.Release(i);
                    break;
                case Change(var n, var c, var exists):
                    var version = world.Change(Codes[c], exists);
                    var invalidated = nodes[n].InvalidateAsync(Tenant, Codes[c], CancellationToken.None);
                    Assert.True(invalidated.IsCompletedSuccessfully, "the invalidation waits for nothing here");
                    answered[Codes[c]] = version;
                    break;
            }

            CheckAnswered(world, pending);
        }

        for (var round = 0; world.PendingSteps > 0; round++)
        {
            Assert.True(round < 10_000, "reads never finished");
            world.Release(0);
            CheckAnswered(world, pending);
        }

        Assert.Empty(pending);

        // Once everything settled, every node answers every code as it is now: no stale entry was kept.
        foreach (var node in nodes)
        {
            foreach (var code in Codes)
            {
                var get = node.GetAsync(Tenant, code, CancellationToken.None).AsTask();
                while (!get.IsCompleted && world.PendingSteps > 0)
                {
                    world.Release(0);
                }

                Assert.True(get.IsCompletedSuccessfully);
                Check(world, code, world.Version(code), get.Result, exactly: true);
            }
        }
    }

    private static void CheckAnswered(LinkCacheWorld world, List<(Task<CachedLink?> Get, string Code, int AtLeast)> pending)
    {
        for (var i = pending.Count - 1; i >= 0; i--)
        {
            var (get, code, atLeast) = pending[i];
            if (get.IsCompleted)
            {
                Assert.True(get.IsCompletedSuccessfully);
                Check(world, code, atLeast, get.Result, exactly: false);
                pending.RemoveAt(i);
            }
        }
    }

    /// <summary>The answer must be the link as it was at some version from <paramref name="atLeast"/> on (exactly that one when settled).</summary>
    private static void Check(LinkCacheWorld world, string code, int atLeast, CachedLink? answer, bool exactly)
    {
        var latest = world.Version(code);
        var candidates = Enumerable.Range(atLeast, exactly ? 1 : latest - atLeast + 1);
        var matches = answer is null
            ? candidates.Any(v => !world.ExistsAt(code, v))
            : candidates.Any(v => world.ExistsAt(code, v) && answer.Destination == LinkCacheWorld.Destination(code, v));
        Assert.True(matches, $"{code}: answered {answer?.Destination ?? "missing"}, but the link was changed to version {atLeast} before the get began (now {latest})");
    }

    private abstract record Op;

    private sealed record Get(int Node, int Code) : Op;

    private sealed record Release(int Index) : Op;

    private sealed record Change(int Node, int Code, bool Exists) : Op;
}
