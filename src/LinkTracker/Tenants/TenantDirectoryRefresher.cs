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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReloadFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The tenant list could not be loaded at start; /health/ready says not ready, retrying every {RefreshSeconds} s")]
    private static partial void LogInitialLoadFailed(ILogger logger, Exception exception, int refreshSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the tenant list failed; the previous list stays in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
