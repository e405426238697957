using System.CommandLine;
using LinkTracker.Analytics;
using LinkTracker.Api;
using LinkTracker.Cli;
using LinkTracker.Clicks;
using LinkTracker.Dashboard;
using LinkTracker.Distributed;
using LinkTracker.Imports;
using LinkTracker.Jobs;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.Network;
using LinkTracker.Redirects;
using LinkTracker.Reports;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Insights;
using LinkTracker.Segments;
using LinkTracker.SignedLinks;
using LinkTracker.Storage;
using LinkTracker.Tenants;
using LinkTracker.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkTracker;

public static class Program
{
    /// <summary>The `linktracker` verbs; `serve` runs the web host built below.</summary>
    /// <remarks>
    /// SIGTERM is left to the host, which drains capture and the writer; the CLI's 2 s kill would cut that short.
    /// Configuration and connection problems of any verb end as one line and exit code 2 (CliErrors), never a stack trace.
    /// </remarks>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await LinkTrackerCli.Create().Parse(args).InvokeAsync(
                new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
        {
            return CliErrors.Fail(message);
        }
    }

    /// <summary>The web host: each feature adds its services, then maps the endpoints of this process's roles.</summary>
    public static WebApplication BuildApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables("LINKTRACKER__");
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.TryAddSingleton(TimeProvider.System);

        var roles = builder.Roles(); // edge, api, worker; all by default
        builder.AddNetwork();
        builder.AddStorage();
        builder.AddDistributed();
        builder.AddTenants();
        builder.AddLinks();
        builder.AddImports();
        builder.AddRedirects();
        builder.AddSignedLinks();
        builder.AddClicks();
        builder.AddAnalytics();
        builder.AddJobs();
        builder.AddReports();
        builder.AddSegments();
        builder.AddWebhooks();
        builder.AddRunbook();
        builder.AddLegacy();
        builder.AddApi();
        builder.AddDashboard();

        var app = builder.Build();
        app.UseClickFormat(); // before anything encodes a click
        app.UseNetwork();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization(); // before the rate limiter: tenants' buckets are partitioned by the authenticated tenant
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapRunbook();
        if (roles.HoldsDatabase())
        {
            app.MapJobsApi();
            app.MapDeadClicksApi();
        }

        if (roles.Has(NodeRoles.Api))
        {
            app.MapTenantApi().MapLinksApi().MapClicksApi().MapStatsApi();
            app.MapTenantApi().MapReportsApi();
            app.MapTenantApi().MapSegmentsApi();
            app.MapTenantApi().MapWebhooksApi();
            app.MapTenantApi().MapInsightsApi();
            app.MapTenantApi().MapSignedLinksApi();
            app.MapInternalApi();
            app.MapDashboard();
        }

        if (roles.Has(NodeRoles.Edge))
        {
            app.MapRedirects();
            app.MapSignedRedirects();
        }

        app.MapLegacy(roles); // the migration view on api nodes; the pass-through to legacy systems on edges

        return app;
    }
}
