namespace LinkTracker.Core.Analytics;

public enum StatsScopeKind
{
    Tenant,
    Link,
    Campaign,
}
