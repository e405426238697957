using LinkTracker.Api;
using LinkTracker.Core.Legacy;
using LinkTracker.Distributed;
using LinkTracker.Redis;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.Legacy;

public static class LegacyExtensions
{
    /// <summary>
    /// The strangler (ADR 15): legacy fallback on a miss, learn-through, pass-through of other paths, the migration view.
    /// An edge without the api role reads settings and learns through the api nodes (registered by AddDistributed).
    /// </summary>
    public static IHostApplicationBuilder AddLegacy(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LegacyOptions>().BindConfiguration(LegacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Roles().HoldsDatabase())
        {
            services.AddSingleton<StoreLegacySource>();
            services.AddSingleton<LegacySettingsService>();
            services.AddSingleton<MigrationView>();
        }

        services.TryAddSingleton<ILegacySource>(sp => sp.GetRequiredService<StoreLegacySource>());
        services.AddSingleton<LegacySettingsCache>();
        services.AddSingleton<LegacyPipelines>();
        services.AddSingleton<LegacyTraffic>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Redis:Configuration"]) && builder.UsesBroker())
        {
            // Distributed: edges proxy and fall back, api nodes answer the migration view; the counts meet in Redis.
            services.AddSingleton<ILegacyTrafficBoard>(sp => new RedisLegacyTrafficBoard(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueuePrefix));
        }

        services.AddSingleton<LegacyFallback>();
        services.AddSingleton<LegacyProxy>();
        services.AddHttpForwarder();
        services.AddHttpClient(LegacyFallback.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookTargets.Handler(sp.GetRequiredService<IOptions<LegacyOptions>>().Value.AllowPrivateTargets))
            // The pipeline's timeout (Legacy:Timeout) applies; the client's default of 100 s must not cut in first.
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }

    /// <summary>The migration view on api nodes; on edges, the pass-through of every path nothing else answers.</summary>
    public static IEndpointRouteBuilder MapLegacy(this WebApplication app, NodeRoles roles)
    {
        if (roles.Has(NodeRoles.Api))
        {
            app.MapMigrationApi(app.MapTenantApi());
        }

        if (roles.Has(NodeRoles.Edge))
        {
            var proxy = app.Services.GetRequiredService<LegacyProxy>();
            app.MapFallback("{**path}", proxy.HandleAsync).ExcludeFromDescription();
        }

        return app;
    }
}
