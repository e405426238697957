using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Tenants;
using LinkTracker.Links;
using LinkTracker.RabbitMq.Clicks;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LinkTracker.Distributed;

public static class DistributedExtensions
{
    private static readonly TimeSpan InternalCallTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan TenantQueuesRefresh = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The distributed deployment's parts this process's roles need: the broker between edges and writers
    /// (RabbitMq:Uri), and on an edge without the api role, tenants and links from the api nodes. Call before the
    /// features: they keep what is registered here and add their embedded defaults otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddDistributed(this IHostApplicationBuilder builder)
    {
        var roles = builder.Roles();
        var services = builder.Services;
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section);
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InternalOptions>().BindConfiguration(InternalOptions.Section);

        if (builder.UsesBroker())
        {
            AddBroker(services, roles);
        }

        if (roles.Has(NodeRoles.Edge) && !roles.HoldsDatabase())
        {
            // Pooled connections are renewed every few minutes, so a replaced api node's new address is picked up.
            services.AddSingleton(sp => new InternalApiClient(
                new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = InternalCallTimeout },
                sp.GetRequiredService<IOptions<InternalOptions>>()));
            services.AddSingleton<ITenantSource>(sp => sp.GetRequiredService<InternalApiClient>());
            services.AddSingleton<ILinkLookup>(sp => sp.GetRequiredService<InternalApiClient>());
            services.AddSingleton<Legacy.ILegacySource>(sp => sp.GetRequiredService<InternalApiClient>());
            services.AddSingleton<SignedLinks.ISigningKeySource>(sp => sp.GetRequiredService<InternalApiClient>());
        }

        return builder;
    }

    private static void AddBroker(IServiceCollection services, NodeRoles roles)
    {
        services.AddSingleton(sp => new ConnectionFactory
        {
            Uri = new Uri(sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri!),
            // The publisher and the inbox reconnect themselves and know what a lost channel means for their clicks.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        });
        services.AddSingleton(sp => new ClickQueues(sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueuePrefix));
        services.AddSingleton<ClickDeadLetters>(); // for operators, on the nodes that map /ops/clicks/dead
        if (roles.Has(NodeRoles.Edge))
        {
            services.AddSingleton<IClickPublisher, RabbitMqClickPublisher>();
            services.AddHostedService<ClickForwarderWorker>();
        }

        if (roles.Has(NodeRoles.Api))
        {
            services.AddSingleton<IClickQueueDepths>(sp => new RabbitMqClickQueueDepths(
                sp.GetRequiredService<ConnectionFactory>(), sp.GetRequiredService<ClickQueues>(), sp.GetRequiredService<TimeProvider>()));
        }

        if (roles.Has(NodeRoles.Worker))
        {
            services.AddSingleton<IClickInbox>(sp =>
            {
                var catalog = sp.GetRequiredService<ICatalogStore>();
                return new RabbitMqClickInbox(
                    sp.GetRequiredService<ConnectionFactory>(),
                    sp.GetRequiredService<ClickQueues>(),
                    sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Prefetch,
                    async ct => [.. (await catalog.ListTenantsAsync(ct)).Select(t => t.Slug)],
                    TenantQueuesRefresh,
                    sp.GetRequiredService<ILogger<RabbitMqClickInbox>>());
            });
        }
    }
}
