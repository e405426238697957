using LinkTracker.Core.Links;
using LinkTracker.Distributed;
using LinkTracker.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.Links;

public static class LinksExtensions
{
    public static IHostApplicationBuilder AddLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LinkCacheOptions>().BindConfiguration(LinkCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ILinkLookup, StoreLinkLookup>(); // an edge has the api nodes' (AddDistributed)
        if (builder.Roles().HoldsDatabase())
        {
            builder.Services.AddSingleton<LinkCodeFilter>();
        }

        builder.Services.AddSingleton<LinkCache>();
        builder.Services.AddSingleton<LinkService>();

        // Redis as the shared second level, when configured; otherwise each process caches on its own.
        // Redis:Configuration is a StackExchange.Redis configuration string, e.g. "10.0.0.5:6379,password=...".
        var redis = builder.Configuration["Redis:Configuration"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            // While Redis is down, fail at once and let the store answer: the default queues commands for up to 5 s each.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            builder.Services.AddSingleton<ISharedLinkCache>(sp => new RedisSharedLinkCache(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<LinkCacheOptions>>().Value.InvalidationConfirmationWait));
            builder.Services.AddHostedService<SharedLinkCacheSubscriber>();
            // Visit limits are counted where every node sees the same count (ADR 25), instead of in the store.
            builder.Services.RemoveAll<IVisitCounter>();
            builder.Services.AddSingleton<IVisitCounter>(sp => new RedisVisitCounter(sp.GetRequiredService<IConnectionMultiplexer>()));
        }

        return builder;
    }
}
