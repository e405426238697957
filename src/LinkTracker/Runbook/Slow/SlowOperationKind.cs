namespace LinkTracker.Runbook.Slow;

/// <summary>The kinds of work the slow-operation log keeps, each with its own threshold in <see cref="SlowLogOptions"/>.</summary>
public enum SlowOperationKind
{
    /// <summary>A user-defined segment run.</summary>
    Segment,

    /// <summary>A stats query (tenant, campaign or link series).</summary>
    Stats,

    /// <summary>A report job (one tenant's local day).</summary>
    Report,

    /// <summary>One write transaction of the click writer.</summary>
    Writer,
}
