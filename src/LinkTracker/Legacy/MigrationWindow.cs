namespace LinkTracker.Legacy;

/// <summary>
/// One window of the migration view. Clicks (answered here or by the legacy system) and learned links come from the
/// store, written a few seconds after the click; proxied requests and legacy failures are this node's own.
/// </summary>
public sealed record MigrationWindow(long AnsweredLocally, long AnsweredByLegacy, long Learned, long Proxied, long LegacyFailures);
