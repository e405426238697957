using LinkTracker.Runbook.Insights;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook.Doctor;

public static class DoctorExtensions
{
    /// <summary>The slow-operation log, tenant activity, the doctor's checks and the tenants' insight rules.</summary>
    public static IServiceCollection AddDoctor(this IServiceCollection services)
    {
        services.AddOptions<SlowLogOptions>().BindConfiguration(SlowLogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DoctorOptions>().BindConfiguration(DoctorOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.LagAction >= o.LagWarning, "Doctor:LagAction must be at least Doctor:LagWarning.")
            .Validate(o => o.DiskFreeActionPercent <= o.DiskFreeWarningPercent, "Doctor:DiskFreeActionPercent must be at most Doctor:DiskFreeWarningPercent.")
            .ValidateOnStart();
        services.AddOptions<InsightsOptions>().BindConfiguration(InsightsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SlowLog>();
        services.AddSingleton<TenantActivity>();
        services.AddSingleton<Doctor>();

        // Each check is one small class; the report lists them in this order.
        services.AddSingleton<IDoctorCheck, WriterCheck>();
        services.AddSingleton<IDoctorCheck, LagCheck>();
        services.AddSingleton<IDoctorCheck, JournalDepthCheck>();
        services.AddSingleton<IDoctorCheck, NoisyTenantCheck>();
        services.AddSingleton<IDoctorCheck, LinkCacheCheck>();
        services.AddSingleton<IDoctorCheck, ScannerCheck>();
        services.AddSingleton<IDoctorCheck, DeadLettersCheck>();
        services.AddSingleton<IDoctorCheck, SlowOperationsCheck>();
        services.AddSingleton<IDoctorCheck, FrequencySegmentsCheck>();
        services.AddSingleton<IDoctorCheck, DiskSpaceCheck>();
        services.AddSingleton<IDoctorCheck, DatabaseCheck>();
        services.AddSingleton<IDoctorCheck, BrokerCheck>();
        services.AddSingleton<IDoctorCheck, RedisCheck>();

        services.AddSingleton<IInsightRule, StatsPollingRule>();
        services.AddSingleton<IInsightRule, OneByOneLinksRule>();
        services.AddSingleton<IInsightRule, UnknownCodesRule>();
        services.AddSingleton<IInsightRule, SlowQueriesRule>();
        services.AddSingleton<IInsightRule, FrequencySegmentsRule>();
        return services;
    }
}
