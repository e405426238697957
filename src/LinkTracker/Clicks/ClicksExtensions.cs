namespace LinkTracker.Clicks;

public static class ClicksExtensions
{
    public static IHostApplicationBuilder AddClicks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptureOptions>().BindConfiguration(CaptureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WriterOptions>().BindConfiguration(WriterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PendingClicks>();
        builder.Services.AddSingleton<ClickMetrics>();
        builder.Services.AddSingleton<ClickCapture>();
        builder.Services.AddSingleton<WriteRateLimiter>();
        builder.Services.AddHostedService<ClickWriterWorker>();
        return builder;
    }
}
