namespace LinkTracker.Tenants;

/// <summary>An administrative request that cannot be done as asked; the message says what to do instead.</summary>
public sealed class TenantAdminException(string message) : Exception(message);
