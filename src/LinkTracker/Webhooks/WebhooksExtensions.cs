using LinkTracker.Clicks;
using LinkTracker.Distributed;
using LinkTracker.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

public static class WebhooksExtensions
{
    /// <summary>
    /// Click webhooks (a cursor over stored clicks per tenant, delivered by jobs) and segments' schedules and webhooks.
    /// Their stores are registered by AddStorage; deliveries use the reports' signed webhook client (AddReports).
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClickWebhooksOptions>().BindConfiguration(ClickWebhooksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SegmentDeliveriesOptions>().BindConfiguration(SegmentDeliveriesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (!builder.Roles().HoldsDatabase())
        {
            return builder;
        }

        services.AddSingleton(sp => new DeliveryHorizon(
            sp.GetRequiredService<ClickBacklog>(), sp.GetRequiredService<IOptions<ClickWebhooksOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddJobHandler<ClickWebhookJobHandler>(ClickWebhookJob.Type);
        services.AddJobHandler<SegmentScheduleJobHandler>(SegmentScheduleJob.Type);
        services.AddJobHandler<SegmentWebhookJobHandler>(SegmentWebhookJob.Type);
        services.AddSingleton(new HourlyJob(SegmentScheduleJob.For));
        services.AddSingleton<SegmentWebhooks>();
        if (builder.Roles().Has(NodeRoles.Worker))
        {
            services.AddSingleton<ClickWebhookScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<ClickWebhookScheduler>());
        }

        return builder;
    }
}
