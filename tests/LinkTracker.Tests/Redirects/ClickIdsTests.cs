using LinkTracker.Redirects;

namespace LinkTracker.Tests.Redirects;

public class ClickIdsTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-27T13:45:12.345Z");

    [Fact]
    public void Ids_are_version_7_with_the_rfc_variant()
    {
        var id = ClickIds.NewId(At);
        var text = id.ToString("N");

        Assert.Equal(7, id.Version);
        Assert.Contains(text[16], "89ab");
    }

    [Fact]
    public void The_first_48_bits_are_the_milliseconds()
    {
        var text = ClickIds.NewId(At).ToString("N");

        Assert.Equal(At.ToUnixTimeMilliseconds(), Convert.ToInt64(text[..12], 16));
    }

    [Fact]
    public void Ids_sort_by_time_and_never_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(i => ClickIds.NewId(At.AddMilliseconds(i / 10))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var byTime = ids.Select(i => i.ToString("N")[..12]).ToList();
        Assert.Equal(byTime.Order(StringComparer.Ordinal), byTime);
    }

    [Fact]
    public void Ids_made_on_many_threads_never_repeat()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                ids.Add(ClickIds.NewId(At));
            }
        });

        Assert.Equal(160_000, ids.Distinct().Count());
    }
}
