using BitFaster.Caching;
using BitFaster.Caching.Lru;
using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Legacy;
using LinkTracker.Links;
using LinkTracker.Redirects;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace LinkTracker.Legacy;

/// <summary>
/// A code the tenant does not have, asked of its legacy link tracker (only on a miss: known codes never come here).
/// A redirect is passed on with the same status and Location, recorded as a click flagged AnsweredByLegacy, and learned
/// so the next click stays here; a 404 is cached like an unknown code and answered like one (<see cref="TenantPages"/>); a failure is a 502 or 504 and nothing is learned.
/// </summary>
public sealed partial class LegacyFallback
{
    public const string ClientName = LegacyPipelines.Name;

    private readonly LegacySettingsCache _settings;
    private readonly LegacyPipelines _pipelines;
    private readonly IHttpClientFactory _clients;
    private readonly ILegacySource _source;
    private readonly ClickFactory _clicks;
    private readonly ClickCapture _capture;
    private readonly LegacyTraffic _traffic;
    private readonly LegacyProxy _proxy;
    private readonly LinkCache _links;
    private readonly TenantPages _pages;
    private readonly TimeProvider _time;
    private readonly ILogger<LegacyFallback> _logger;
    private readonly ICache<LinkKey, bool> _missing;

    public LegacyFallback(
        LegacySettingsCache settings, LegacyPipelines pipelines, IHttpClientFactory clients, ILegacySource source, ClickFactory clicks,
        ClickCapture capture, LegacyTraffic traffic, LegacyProxy proxy, LinkCache links, TenantPages pages, TimeProvider time, IOptions<LinkCacheOptions> cache,
        ILogger<LegacyFallback> logger)
    {
        (_settings, _pipelines, _clients, _source, _clicks, _capture, _traffic, _proxy, _links, _pages, _time, _logger) =
            (settings, pipelines, clients, source, clicks, capture, traffic, proxy, links, pages, time, logger);
        _missing = new ConcurrentLruBuilder<LinkKey, bool>()
            .WithCapacity(cache.Value.NegativeCapacity).WithExpireAfterWrite(TimeSpan.FromSeconds(cache.Value.NegativeTtlSeconds)).Build();
    }

    /// <summary>A path of the tenant's host that cannot be a code: passed through to its legacy system (<see cref="LegacyProxy"/>).</summary>
    /// <returns>false when the tenant has no legacy system or the path is the service's own (nothing was written).</returns>
    public Task<bool> TryPassThroughAsync(HttpContext context, string tenant) => _proxy.TryPassThroughAsync(context, tenant);

    /// <summary>Answers a code the tenant does not have.</summary>
    /// <returns>false when the tenant has no legacy system or the path is the service's own (nothing was written: the caller answers 404).</returns>
    public async Task<bool> TryAnswerAsync(HttpContext context, string tenant, string code)
    {
        if (LegacyProxy.IsOwned(context.Request.Path))
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

        var key = new LinkKey(tenant, code);
        if (_missing.TryGet(key, out _))
        {
            await _pages.WriteNotFoundAsync(context, tenant);
            return true;
        }

        var request = context.Request;
        var target = LegacyBaseUrl.Combine(baseUrl, request.Path, request.QueryString);
        var outcome = await AskAsync(context, tenant, target);
        _traffic.Count(tenant, outcome.Kind);
        switch (outcome.Kind)
        {
            case LegacyOutcome.Redirected:
                await RedirectAsync(context, tenant, code, outcome.Status, outcome.Location!);
                break;
            case LegacyOutcome.Missing:
                _missing.AddOrUpdate(key, true);
                await _pages.WriteNotFoundAsync(context, tenant);
                break;
            case LegacyOutcome.TimedOut:
                await RedirectPages.WriteGatewayTimeoutAsync(context);
                break;
            case LegacyOutcome.Refused:
                await RedirectPages.WriteUnavailableAsync(context);
                break;
            default:
                await RedirectPages.WriteBadGatewayAsync(context);
                break;
        }

        return true;
    }

    private async Task<Answer> AskAsync(HttpContext context, string tenant, Uri target)
    {
        var client = _clients.CreateClient(ClientName);
        try
        {
            using var response = await _pipelines.For(tenant).ExecuteAsync(
                static async (state, ct) =>
                {
                    using var message = new HttpRequestMessage(HttpMethods.IsHead(state.Context.Request.Method) ? HttpMethod.Head : HttpMethod.Get, state.Target);
                    LegacyHeaders.CopyTo(state.Context, message);
                    return await state.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
                },
                (Context: context, Target: target, Client: client),
                context.RequestAborted);
            return Classify(response, target);
        }
        catch (TimeoutRejectedException)
        {
            return new Answer(LegacyOutcome.TimedOut);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException)
        {
            return new Answer(LegacyOutcome.Refused);
        }
        catch (HttpRequestException ex)
        {
            LogLegacyUnreachable(_logger, ex, tenant);
            return new Answer(LegacyOutcome.Failed);
        }
    }

    /// <summary>A 3xx with a Location that can be one of our redirects, a 404/410, or a failure (anything else).</summary>
    private static Answer Classify(HttpResponseMessage response, Uri target)
    {
        var status = (int)response.StatusCode;
        if (status is 404 or 410)
        {
            return new Answer(LegacyOutcome.Missing);
        }

        if (status is 301 or 302 or 303 or 307 or 308
            && response.Headers.Location is { } location
            && Uri.TryCreate(target, location, out var absolute)
            && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp)
            && Destinations.ForLocation(absolute.AbsoluteUri) is { } header)
        {
            return new Answer(LegacyOutcome.Redirected, status, header);
        }

        return new Answer(LegacyOutcome.Failed, status);
    }

    private async Task RedirectAsync(HttpContext context, string tenant, string code, int status, string location)
    {
        var now = _time.GetUtcNow();
        var click = _clicks.Create(tenant, code, context, now);
        try
        {
            // Once per code: learned before answering, so the person's next click is answered here.
            await _source.LearnAsync(tenant, new LearnedLink(code, location, status, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds())), context.RequestAborted);

            // This node's miss goes now, not when the broadcast arrives: an edge's next click asks the api nodes, which know it.
            _links.InvalidateLocal(tenant, code);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The person still gets the legacy system's answer; the next click asks it again.
            LogLearnFailed(_logger, ex, tenant, code);
        }

        // Captured last: a Durable capture resumes on the journal's commit thread (ADR 27), which must not do the learning's store write.
        try
        {
            await _capture.CaptureAsync(click with { Flags = click.Flags | ClickFlags.AnsweredByLegacy });
        }
        catch (ObjectDisposedException ex)
        {
            LogNotCaptured(_logger, ex);
        }

        var response = context.Response;
        response.StatusCode = status;
        response.Headers.Location = location;
        response.Headers.CacheControl = "private, no-store";
    }

    private readonly record struct Answer(LegacyOutcome Kind, int Status = 0, string? Location = null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The legacy settings of tenant {Tenant} could not be read; answered 503")]
    private static partial void LogSettingsFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The legacy link tracker of tenant {Tenant} could not be reached; answered 502")]
    private static partial void LogLegacyUnreachable(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A link of tenant {Tenant} answered by its legacy system could not be learned ({Code}); its next click asks again")]
    private static partial void LogLearnFailed(ILogger logger, Exception exception, string tenant, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A click answered by a legacy system was redirected but not recorded")]
    private static partial void LogNotCaptured(ILogger logger, Exception exception);
}
