namespace LinkTracker.Legacy;

/// <summary>How one request that this service did not answer from its own links ended.</summary>
public enum LegacyOutcome
{
    /// <summary>The legacy system redirected; the person got the same status and Location.</summary>
    Redirected,

    /// <summary>The legacy system does not know the code either (404 or 410): cached like an unknown code.</summary>
    Missing,

    /// <summary>A 5xx, no connection, or an answer that is not a redirect: 502.</summary>
    Failed,

    /// <summary>No answer within Legacy:Timeout: 504.</summary>
    TimedOut,

    /// <summary>Not asked: the tenant's breaker is open or its concurrency limit reached: 503.</summary>
    Refused,

    /// <summary>Another path of the tenant's host, passed through to the legacy system.</summary>
    Proxied,
}
