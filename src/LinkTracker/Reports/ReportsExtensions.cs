using LinkTracker.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Reports;

public static class ReportsExtensions
{
    /// <summary>The named HttpClient of webhook deliveries.</summary>
    public const string WebhookClient = "report-webhooks";

    /// <summary>
    /// Daily reports: their job types, their place in the hourly pass (each tenant's day ends at its own midnight), and the webhook client. The report store of the
    /// configured engine is registered by AddStorage with the other adapters.
    /// </summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddJobHandler<ReportScheduleJobHandler>(ReportScheduleJob.Type);
        services.AddJobHandler<ReportJobHandler>(ReportJob.Type);
        services.AddJobHandler<ReportWebhookJobHandler>(ReportWebhookJob.Type);
        services.AddSingleton(new HourlyJob(ReportScheduleJob.For));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddHttpClient(WebhookClient)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookTargets.Handler(sp.GetRequiredService<IOptions<ReportsOptions>>().Value.AllowPrivateWebhookTargets))
            // The job's own timeout (Reports:WebhookTimeout) applies; the client's default of 100 s must not cut in first.
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }
}
