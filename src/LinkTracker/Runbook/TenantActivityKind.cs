namespace LinkTracker.Runbook;

/// <summary>What <see cref="TenantActivity"/> counts per tenant; each is recorded off the redirect hot path.</summary>
public enum TenantActivityKind
{
    /// <summary>Clicks the writer stored for the tenant.</summary>
    ClicksWritten,

    /// <summary>Milliseconds the writer spent in the tenant's write transactions.</summary>
    WriterMilliseconds,

    /// <summary>Write transactions of the tenant that failed (retried later).</summary>
    WriterFailures,

    /// <summary>Redirects to codes the tenant does not have (counted on a cache miss only).</summary>
    UnknownCodes,

    /// <summary>Stats queries (tenant, campaign or link series).</summary>
    StatsQueries,

    /// <summary>Links created by POST /api/links, one per call.</summary>
    LinksCreatedOneByOne,

    /// <summary>Calls of POST /api/links/batch.</summary>
    LinkBatches,
}
