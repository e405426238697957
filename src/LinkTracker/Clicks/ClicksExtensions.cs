using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Clicks;
using LinkTracker.Distributed;
using LinkTracker.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.Clicks;

public static class ClicksExtensions
{
    /// <summary>Capture into the local journal (edges), and on workers the writer, fed from the journal unless the broker feeds it.</summary>
    public static IHostApplicationBuilder AddClicks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptureOptions>().BindConfiguration(CaptureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ForwarderOptions>().BindConfiguration(ForwarderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ClickFormatOptions>().BindConfiguration(ClickFormatOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WriterOptions>().BindConfiguration(WriterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PendingClicks>();
        builder.Services.AddSingleton<NodeIdentity>();
        builder.Services.AddSingleton<ClickBacklog>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Redis:Configuration"]) && builder.UsesBroker())
        {
            // Distributed: each edge and writer says what it holds, so api nodes answer stats freshness for the fleet.
            builder.Services.AddSingleton<IBacklogBoard>(sp => new RedisBacklogBoard(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueuePrefix));
            if (builder.Roles().Has(NodeRoles.Edge) || builder.Roles().Has(NodeRoles.Worker))
            {
                builder.Services.AddHostedService<BacklogReportWorker>();
            }
        }

        builder.Services.AddSingleton<ClickMetrics>();
        builder.Services.AddSingleton<ClickCapture>();
        builder.Services.AddSingleton<JournalInbox>(); // the writer's inbox in one process; the forwarder's source on an edge
        if (builder.Roles().Has(NodeRoles.Worker))
        {
            builder.Services.TryAddSingleton<IClickInbox>(sp => sp.GetRequiredService<JournalInbox>());
            builder.Services.AddSingleton<WriteRateLimiter>();
            // On PostgreSQL the budget is the database's, shared by every worker (ADR 22); else this process's own.
            builder.Services.AddSingleton<IWriteBudget>(sp => sp.GetService<IWriteBudgetStore>() is { } store
                ? ActivatorUtilities.CreateInstance<SharedWriteBudget>(sp, store)
                : sp.GetRequiredService<WriteRateLimiter>());
            builder.Services.AddClickEnrichment();
            builder.Services.AddHostedService<ClickWriterWorker>();
        }

        return builder;
    }

    /// <summary>Sets the click format version this process writes (journal records, broker messages), from ClickFormat:WriteVersion.</summary>
    public static WebApplication UseClickFormat(this WebApplication app)
    {
        ClickCodec.WriteVersion = (byte)app.Services.GetRequiredService<IOptions<ClickFormatOptions>>().Value.WriteVersion;
        return app;
    }
}
