using LinkTracker.Clicks.Enrichment;
namespace LinkTracker.Redirects;

public static class RedirectsExtensions
{
    public static IHostApplicationBuilder AddRedirects(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClickFactory>();
        builder.Services.AddSingleton<TenantPages>();
        builder.Services.AddSingleton<VisitLimits>();
        builder.Services.AddGeo(); // country rules: an edge reads the geo database too
        builder.Services.AddSingleton<RedirectRuleMatcher>();
        builder.Services.AddSingleton<RedirectEndpoint>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRedirects(this IEndpointRouteBuilder app)
    {
        var endpoint = app.ServiceProvider.GetRequiredService<RedirectEndpoint>();
        app.MapMethods(RedirectEndpoint.Route, [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)endpoint.HandleAsync)
            .ExcludeFromDescription();
        return app;
    }
}
