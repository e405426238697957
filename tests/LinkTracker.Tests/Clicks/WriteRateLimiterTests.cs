using LinkTracker.Clicks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Clicks;

public class WriteRateLimiterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(1000)]
    public async Task No_wall_clock_second_gets_more_than_the_cap(int cap)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00.3Z"));
        var limiter = new WriteRateLimiter(Options.Create(new WriterOptions { MaxTransactionsPerSecond = cap }), time);
        var grants = new List<DateTimeOffset>();

        for (var i = 0; i < cap * 5; i++)
        {
            var grant = limiter.WaitAsync(CancellationToken.None);
            while (!grant.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
            }

            grants.Add(await grant);
        }

        var perSecond = grants.GroupBy(g => g.ToUnixTimeSeconds()).Select(g => g.Count()).ToList();
        Assert.True(perSecond.Max() <= cap, $"a second held {perSecond.Max()} grants, cap {cap}");
        // And it is a pace, not a stall: 5 seconds' worth takes about 5 seconds.
        Assert.InRange((grants[^1] - grants[0]).TotalSeconds, 4.0, 5.1);
    }
}
