using Microsoft.Extensions.Options;

namespace LinkTracker.Tenants;

/// <summary>Loads the tenant snapshot at start and reloads it periodically (tenants may be added by the CLI).</summary>
internal sealed partial class TenantDirectoryRefresher(
    TenantDirectory directory, IOptions<TenantOptions> options, ILogger<TenantDirectoryRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.ReloadAsync(cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the tenant list failed; the previous list stays in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
