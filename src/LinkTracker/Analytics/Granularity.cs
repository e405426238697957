namespace LinkTracker.Analytics;

public enum Granularity
{
    Hour,
    Day,
}
