using LinkTracker.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkTracker.SignedLinks;

public static class SignedLinksExtensions
{
    public static IHostApplicationBuilder AddSignedLinks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var roles = builder.Roles();
        services.AddSingleton<SigningKeySecrets>();
        services.TryAddSingleton<ISigningKeySource, CatalogSigningKeySource>(); // an edge has the api nodes' (AddDistributed)
        services.AddSingleton<SigningKeyRing>();
        if (roles.HoldsDatabase())
        {
            services.AddSingleton<CatalogSigningKeySource>();
            services.AddSingleton<SigningKeys>();
        }

        if (roles.Has(NodeRoles.Edge))
        {
            services.AddSingleton<SignedRedirectEndpoint>();
            services.AddHostedService<SigningKeyRefresher>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapSignedRedirects(this IEndpointRouteBuilder app)
    {
        var endpoint = app.ServiceProvider.GetRequiredService<SignedRedirectEndpoint>();
        app.MapMethods(SignedRedirectEndpoint.Route, [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)endpoint.HandleAsync)
            .ExcludeFromDescription();
        return app;
    }
}
