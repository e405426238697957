namespace LinkTracker.Legacy;

/// <summary>
/// One window of the migration view. Clicks (answered here or by the legacy system) and learned links come from the
/// store, written a few seconds after the click. Proxied requests and legacy failures are counted by the node that
/// handled them: every node's when <paramref name="RequestsFleetWide"/>, only this node's when the shared board (Redis)
/// could not be read.
/// </summary>
public sealed record MigrationWindow(long AnsweredLocally, long AnsweredByLegacy, long Learned, long Proxied, long LegacyFailures, bool RequestsFleetWide);
