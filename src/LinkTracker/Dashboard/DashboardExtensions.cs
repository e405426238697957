using LinkTracker.Analytics;
using LinkTracker.Api;
using LinkTracker.Core.Segments;
using LinkTracker.Distributed;
using LinkTracker.Links;
using LinkTracker.Reports;
using LinkTracker.Segments;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace LinkTracker.Dashboard;

public static class DashboardExtensions
{
    /// <summary>
    /// Razor Pages under Dashboard/Pages, the two cookie schemes (tenant users, operator), their policies and the user
    /// service. Api nodes only: the pages read the tenant's database.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        if (!builder.Roles().Has(NodeRoles.Api))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DashboardUsers>();
        services.AddScoped<DashboardCookieEvents>();
        services.AddScoped<OperatorCookieEvents>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AuthorizeFolder("/Tenant", DashboardAuthentication.ViewerPolicy);
            o.Conventions.AllowAnonymousToPage("/Tenant/SignIn");
            o.Conventions.AuthorizeFolder("/Operator", DashboardAuthentication.OperatorPolicy);
            o.Conventions.AllowAnonymousToPage("/Operator/SignIn");
        }).ConfigureApplicationPartManager(AddOwnPages);

        services.AddAuthentication()
            .AddCookie(DashboardAuthentication.Scheme, o => Configure(o, DashboardAuthentication.Cookie, "/dashboard", builder))
            .AddCookie(DashboardAuthentication.OperatorScheme, o => Configure(o, DashboardAuthentication.OperatorCookie, "/ops/dashboard", builder));
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAuthentication.ViewerPolicy, p => p
                .AddAuthenticationSchemes(DashboardAuthentication.Scheme).RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.TenantClaim))
            .AddPolicy(DashboardAuthentication.EditorPolicy, p => p
                .AddAuthenticationSchemes(DashboardAuthentication.Scheme).RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.TenantClaim)
                .RequireRole(DashboardAuthentication.Editor))
            .AddPolicy(DashboardAuthentication.OperatorPolicy, p => p
                .AddAuthenticationSchemes(DashboardAuthentication.OperatorScheme).RequireAuthenticatedUser().RequireRole("operator"));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "lt_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__lt_form";
        });
        return builder;
    }

    /// <summary>The pages, the JSON the pages' script polls (the tenant API's own handlers behind the session), and the static files.</summary>
    public static IEndpointRouteBuilder MapDashboard(this WebApplication app)
    {
        app.UseWhen(c => DashboardHeaders.Applies(c.Request.Path), a => a.Use(DashboardHeaders.Add));
        app.MapGet("/dashboard/assets/{file}", DashboardAssets.Get).ExcludeFromDescription();
        var api = app.MapGroup("/dashboard/api").ExcludeFromDescription()
            .RequireAuthorization(DashboardAuthentication.ViewerPolicy).RequireRateLimiting(TenantRateLimits.Policy);
        api.MapGet("/stats", StatsApi.GetTenantStatsAsync);
        api.MapGet("/links/{code}/stats", StatsApi.GetLinkStatsAsync);
        api.MapGet("/links/{code}/qr", LinksApi.GetQrCodeAsync); // the link page's <img>: GET /api/links/{code}/qr behind the session
        api.MapGet("/reports/{date}", ReportsApi.GetReportAsync);
        // The CSV of a segment's recipients: GET /api/segments/{id}/recipients?format=csv's own handler, behind the session.
        app.MapGet("/dashboard/segments/{id}/recipients.csv", (string id, HttpRequest request, TenantContext tenant, ISegmentStore store, Cursors cursors, CancellationToken cancellationToken) =>
                SegmentRunsApi.GetRecipientsAsync(id, request, tenant, store, cursors, cancellationToken, format: "csv"))
            .ExcludeFromDescription().RequireAuthorization(DashboardAuthentication.ViewerPolicy).RequireRateLimiting(TenantRateLimits.Policy);
        app.MapRazorPages();
        return app;
    }

    private static void Configure(CookieAuthenticationOptions o, string cookie, string path, IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
        o.Cookie.Name = cookie;
        o.Cookie.Path = path;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = options.SessionIdleTimeout;
        o.SlidingExpiration = true;
        o.LoginPath = path + "/signin";
        o.LogoutPath = path + "/signout";
        o.AccessDeniedPath = path + "/denied";
        o.ReturnUrlParameter = "returnUrl";
        o.EventsType = cookie == DashboardAuthentication.Cookie ? typeof(DashboardCookieEvents) : typeof(OperatorCookieEvents);
    }

    // The host's application name is the test runner's under tests; the pages are this assembly's either way.
    private static void AddOwnPages(ApplicationPartManager manager)
    {
        var assembly = typeof(DashboardExtensions).Assembly;
        foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
        {
            if (!manager.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name))
            {
                manager.ApplicationParts.Add(part);
            }
        }
    }
}
