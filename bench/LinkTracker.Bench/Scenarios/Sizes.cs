namespace LinkTracker.Bench.Scenarios;

/// <summary>How big each scenario is: --quick (about a minute in all) or full (15-25 minutes on 2 cores).</summary>
public sealed record Sizes
{
    public required string Mode { get; init; }

    // (a) redirects
    public required int[] Connections { get; init; }

    public required TimeSpan RunTime { get; init; }

    public required TimeSpan WarmupTime { get; init; }

    public required TimeSpan HalfRateTime { get; init; }

    public int RedirectLinks { get; init; } = 1_000;

    // (b) email blast
    public required int BlastClicks { get; init; }

    public required TimeSpan BlastTime { get; init; }

    public int BlastLinks { get; init; } = 1_000;

    public int SteadyClicksPerSecond { get; init; } = 20;

    // (c) cache
    public required int CacheLinks { get; init; }

    public required int ZipfRequests { get; init; }

    public required int UnknownRequests { get; init; }

    // (d) stats
    public required int StatsClicks { get; init; }

    public required int StatsRecipients { get; init; }

    public required int StatsCalls { get; init; }

    // (f) segments
    public required int SegmentClicks { get; init; }

    public required int SegmentRecipients { get; init; }

    public required int SegmentRuns { get; init; }

    // (f) clicks written into the big tenant through the writer's adapter, once without the recipient index and once with it
    public required int SegmentIndexWrites { get; init; }

    // (f) dashboard pages (issue #14): measured GETs per page
    public required int DashboardCalls { get; init; }

    // burst matrix: each cell's burst ends at this many requests or after this long, whichever comes first
    public required int BurstRequests { get; init; }

    public required TimeSpan BurstTime { get; init; }

    public static Sizes Quick { get; } = new()
    {
        Mode = "quick",
        Connections = [64],
        RunTime = TimeSpan.FromSeconds(5),
        WarmupTime = TimeSpan.FromSeconds(1),
        HalfRateTime = TimeSpan.FromSeconds(3),
        BlastClicks = 5_000,
        BlastTime = TimeSpan.FromSeconds(5),
        CacheLinks = 20_000,
        ZipfRequests = 20_000,
        UnknownRequests = 3_000,
        StatsClicks = 200_000,
        StatsRecipients = 50_000,
        StatsCalls = 100,
        SegmentClicks = 200_000,
        SegmentRecipients = 50_000,
        SegmentRuns = 3,
        SegmentIndexWrites = 5_000,
        DashboardCalls = 50,
        BurstRequests = 6_000,
        BurstTime = TimeSpan.FromSeconds(2),
    };

    public static Sizes Full { get; } = new()
    {
        Mode = "full",
        Connections = [64, 256],
        RunTime = TimeSpan.FromSeconds(15),
        WarmupTime = TimeSpan.FromSeconds(3),
        HalfRateTime = TimeSpan.FromSeconds(10),
        BlastClicks = 100_000,
        BlastTime = TimeSpan.FromSeconds(50),
        CacheLinks = 1_000_000,
        ZipfRequests = 300_000,
        UnknownRequests = 30_000,
        StatsClicks = 10_000_000,
        StatsRecipients = 1_000_000,
        StatsCalls = 500,
        SegmentClicks = 10_000_000,
        SegmentRecipients = 1_000_000,
        SegmentRuns = 5,
        SegmentIndexWrites = 20_000,
        DashboardCalls = 200,
        BurstRequests = 25_000,
        BurstTime = TimeSpan.FromSeconds(5),
    };
}
