namespace LinkTracker.Analytics;

public static class AnalyticsExtensions
{
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StatsService>();
        return builder;
    }
}
