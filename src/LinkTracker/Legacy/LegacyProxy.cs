using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;
using LinkTracker.Redirects;
using LinkTracker.Reports;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace LinkTracker.Legacy;

/// <summary>
/// Every other path of a tenant's host with a legacy system, passed through to it (YARP direct forwarding), so DNS can
/// move on day one. The service's own surfaces are never passed through, whatever the tenant configured.
/// </summary>
public sealed partial class LegacyProxy : IDisposable
{
    /// <summary>First path segments the service owns: never sent to a legacy system.</summary>
    private static readonly FrozenSet<string> Owned = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "api", "ops", "health", "metrics", "dashboard", "internal", "openapi");

    private readonly IHttpForwarder _forwarder;
    private readonly TenantDirectory _tenants;
    private readonly LegacySettingsCache _settings;
    private readonly LegacyTraffic _traffic;
    private readonly ILogger<LegacyProxy> _logger;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _config;

    public LegacyProxy(
        IHttpForwarder forwarder, TenantDirectory tenants, LegacySettingsCache settings, LegacyTraffic traffic, IOptions<LegacyOptions> options, ILogger<LegacyProxy> logger)
    {
        (_forwarder, _tenants, _settings, _traffic, _logger) = (forwarder, tenants, settings, traffic, logger);
        var handler = WebhookTargets.Handler(options.Value.AllowPrivateTargets);
        handler.UseProxy = false;
        handler.UseCookies = false;
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current);
        _client = new HttpMessageInvoker(handler);
        _config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>Whether the path belongs to the service (api, ops, health, metrics, dashboard...) and must never be passed through.</summary>
    public static bool IsOwned(PathString path)
    {
        var value = path.Value.AsSpan().TrimStart('/');
        var end = value.IndexOf('/');
        var first = end < 0 ? value : value[..end];
        return Owned.GetAlternateLookup<ReadOnlySpan<char>>().Contains(first);
    }

    /// <summary>The route of every path nothing else answers: passed to the tenant's legacy system, or 404.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var tenant = _tenants.Resolve(context.Request.Headers.Host.ToString());
        if (tenant is null || !await TryPassThroughAsync(context, tenant.Slug))
        {
            await RedirectPages.WriteNotFoundAsync(context);
        }
    }

    /// <summary>Passes the request to the tenant's legacy system.</summary>
    /// <returns>false when the tenant has none or the path is the service's own (nothing was written).</returns>
    public async Task<bool> TryPassThroughAsync(HttpContext context, string tenant)
    {
        if (IsOwned(context.Request.Path))
        {
            return false;
        }

        string? baseUrl;
        try
        {
            baseUrl = await _settings.GetAsync(tenant, context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogSettingsFailed(_logger, ex, tenant);
            await RedirectPages.WriteUnavailableAsync(context);
            return true;
        }

        if (baseUrl is null)
        {
            return false;
        }

        _traffic.Count(tenant, LegacyOutcome.Proxied);
        var error = await _forwarder.SendAsync(context, baseUrl.TrimEnd('/'), _client, _config, HttpTransformer.Default);
        if (error != ForwarderError.None)
        {
            _traffic.Count(tenant, LegacyOutcome.Failed);
            LogProxyFailed(_logger, tenant, error);
        }

        return true;
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The legacy settings of tenant {Tenant} could not be read; answered 503")]
    private static partial void LogSettingsFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request of tenant {Tenant} could not be passed to its legacy system: {Error}")]
    private static partial void LogProxyFailed(ILogger logger, string tenant, ForwarderError error);
}
