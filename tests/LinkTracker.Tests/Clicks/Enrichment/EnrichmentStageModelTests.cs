using CsCheck;
using LinkTracker.Core.Clicks;
using static LinkTracker.Tests.Clicks.Enrichment.EnrichmentTestStage;

namespace LinkTracker.Tests.Clicks.Enrichment;

/// <summary>
/// Model: the clicks enriched all at once, in one batch, by a fresh stage. Whatever the batch sizes (and replays of
/// batches already written), a store keyed by id ends with every click exactly once, enriched as the model says.
/// </summary>
public class EnrichmentStageModelTests
{
    private static readonly string[] Agents = [Phone, Desktop, Googlebot, "", "curl/8.5.0"];

    private static readonly Gen<(int Code, int Recipient, int Agent, int Network, int Gap, int Flags)> GenClick =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, Agents.Length - 1], Gen.Int[0, 2], Gen.Int[0, 6_000], Gen.Int[0, 3],
            (code, recipient, agent, network, gap, flags) => (code, recipient, agent, network, gap, flags));

    [Fact]
    public void Every_click_is_stored_once_with_its_enrichment_whatever_the_batch_sizes()
    {
        Gen.Select(GenClick.Array[1, 80], Gen.Int[1, 30].Array[1, 20], Gen.Bool.Array[20])
            .Sample((specs, sizes, replays) =>
            {
                var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
                var clicks = new List<Click>();
                foreach (var s in specs)
                {
                    at = at.AddMilliseconds(s.Gap);
                    var flags = (s.Flags & 1) != 0 ? ClickFlags.Head : (s.Flags & 2) != 0 ? ClickFlags.Prefetch : ClickFlags.None;
                    clicks.Add(Click("c" + s.Code, "r" + s.Recipient, at, Agents[s.Agent], $"198.51.{s.Network}.{s.Code + 1}", flags));
                }

                var model = Create().Enrich("acme", clicks).ToDictionary(c => c.Id);

                var stage = Create();
                var store = new Dictionary<Guid, Click>();
                var stored = 0;
                for (int next = 0, i = 0; next < clicks.Count; i++)
                {
                    var batch = clicks.Skip(next).Take(sizes[i % sizes.Length]).ToList();
                    foreach (var click in stage.Enrich("acme", batch))
                    {
                        stored += store.TryAdd(click.Id, click) ? 1 : 0;
                    }

                    if (replays[i % replays.Length])
                    {
                        // Delivered again before acknowledgement: enriched again, stored never twice.
                        foreach (var click in stage.Enrich("acme", batch))
                        {
                            Assert.False(store.TryAdd(click.Id, click));
                            Assert.Equal(store[click.Id], click);
                        }
                    }

                    next += batch.Count;
                }

                Assert.Equal(clicks.Count, stored);
                Assert.Equal(model.Count, store.Count);
                foreach (var (id, expected) in model)
                {
                    Assert.Equal(expected, store[id]);
                }
            });
    }
}
