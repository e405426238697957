using LinkTracker.Core.Legacy;

namespace LinkTracker.Legacy;

/// <summary>
/// How far a tenant is off its legacy link tracker: the last hour and day, and the legacy codes still clicked. The
/// legacy system can go when AnsweredByLegacy and Proxied stay at 0 over a day.
/// </summary>
public sealed record MigrationResponse(
    string Tenant, string? LegacyBaseUrl, MigrationWindow LastHour, MigrationWindow LastDay, IReadOnlyList<LegacyCodeCount> LegacyCodes);
