namespace LinkTracker.Core.Clicks;

/// <summary>Clicks of one tenant captured and not yet stored somewhere, and when the oldest of them happened (Unix ms).</summary>
public readonly record struct WaitingClicks(long Clicks, long OldestMs)
{
    public static WaitingClicks operator +(WaitingClicks a, WaitingClicks b) =>
        new(a.Clicks + b.Clicks, a.Clicks == 0 ? b.OldestMs : b.Clicks == 0 ? a.OldestMs : Math.Min(a.OldestMs, b.OldestMs));
}
