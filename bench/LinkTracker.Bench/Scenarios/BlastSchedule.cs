namespace LinkTracker.Bench.Scenarios;

/// <summary>When each click of an email blast is due: 80 % in the first fifth of the run, the rest spread evenly after.</summary>
internal sealed record BlastSchedule(long Clicks, TimeSpan Duration)
{
    public long Burst => Clicks * 4L / 5;

    public TimeSpan First => Duration / 5;

    public TimeSpan DueOf(long i) =>
        i < Burst ? First * ((double)i / Burst) : First + ((Duration - First) * ((double)(i - Burst) / (Clicks - Burst)));
}
