using LinkTracker.Core.Jobs;

namespace LinkTracker.Webhooks;

/// <summary>
/// Delivers a tenant's stored clicks after its cursor. One id per tenant: while a job waits, runs, backs off or lies
/// dead, the scheduler adds no other, so one tenant's deliveries never overlap and a failing receiver is not piled on.
/// </summary>
public static class ClickWebhookJob
{
    public const string Type = "click-webhook";

    public static string Id(string tenant) => $"{Type}:{tenant}";

    public static JobRequest For(string tenant) => new(Type, tenant, "{}", Id(tenant));
}
