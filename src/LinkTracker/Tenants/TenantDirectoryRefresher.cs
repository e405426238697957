using Microsoft.Extensions.Options;

namespace LinkTracker.Tenants;

/// <summary>
/// Loads the tenant snapshot at start and reloads it periodically (tenants may be added by the CLI). A process whose
/// tenant source is down at start (an edge whose api nodes are unreachable) starts anyway, not ready, and keeps trying.
/// </summary>
internal sealed partial class TenantDirectoryRefresher(
    TenantDirectory directory, IOptions<TenantOptions> options, ILogger<TenantDirectoryRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await directory.ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The usual start order problem (an edge before its api nodes): one line, not a stack trace.
            LogNotReachableYet(logger, ex.Message, options.Value.RefreshSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogInitialLoadFailed(logger, ex, options.Value.RefreshSeconds);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await directory.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (IsUnreachable(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogReloadUnreachable(logger, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReloadFailed(logger, ex);
            }
        }
    }

    /// <summary>A source that did not answer (connection refused, a timeout), as opposed to one that answered wrongly.</summary>
    private static bool IsUnreachable(Exception ex) => ex switch
    {
        AggregateException all => all.InnerExceptions.All(IsUnreachable), // every api node tried (InternalApiClient)
        HttpRequestException { StatusCode: null } or TimeoutException or TaskCanceledException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tenant list could not be loaded at start: api not reachable yet ({Reason}); /health/ready says not ready, retrying every {RefreshSeconds} s")]
    private static partial void LogNotReachableYet(ILogger logger, string reason, int refreshSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the tenant list failed: api not reachable ({Reason}); the previous list stays in use")]
    private static partial void LogReloadUnreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The tenant list could not be loaded at start; /health/ready says not ready, retrying every {RefreshSeconds} s")]
    private static partial void LogInitialLoadFailed(ILogger logger, Exception exception, int refreshSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the tenant list failed; the previous list stays in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
