namespace LinkTracker.Clicks;

public enum CaptureMode
{
    /// <summary>The redirect is sent after the group commit that holds its click: survives kill -9.</summary>
    Durable,

    /// <summary>The redirect is sent at once; clicks of the last few milliseconds die with the process.</summary>
    Buffered,
}
