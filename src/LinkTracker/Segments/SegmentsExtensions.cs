using LinkTracker.Jobs;

namespace LinkTracker.Segments;

public static class SegmentsExtensions
{
    /// <summary>
    /// Segments: their guardrail options, the cost rule and the run job. The segment store of the configured engine is
    /// registered by AddStorage with the other adapters; runs go through the job queue, so never on an edge or the writer.
    /// </summary>
    public static IHostApplicationBuilder AddSegments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SegmentsOptions>().BindConfiguration(SegmentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SegmentCost>();
        services.AddSingleton<ISegmentRunObserver, SlowLogSegmentObserver>();
        services.AddJobHandler<SegmentRunJobHandler>(SegmentRunJob.Type);
        return builder;
    }
}
