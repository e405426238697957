using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class CodeBloomFilterTests
{
    [Fact]
    public void Every_added_code_is_present_and_about_one_in_a_hundred_others_look_present_at_capacity()
    {
        var filter = new CodeBloomFilter(100_000);
        for (var i = 0; i < 100_000; i++)
        {
            filter.Add($"c{i:x}");
        }

        var falsePositives = Enumerable.Range(0, 100_000).Count(i => filter.MayContain($"other-{i}"));

        Assert.All(Enumerable.Range(0, 100_000), i => Assert.True(filter.MayContain($"c{i:x}")));
        Assert.InRange(falsePositives, 0, 2_000);
        Assert.Equal(100_000, filter.Count);
    }

    [Fact]
    public void An_empty_filter_holds_nothing()
    {
        var filter = new CodeBloomFilter(10);

        Assert.False(filter.MayContain("abc"));
        Assert.Equal(1_024, filter.Capacity);
    }
}
