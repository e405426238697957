using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.SignedLinks;

/// <summary>
/// Loads the signing key ring at start and reloads it with the tenant snapshot's period (Tenants:RefreshSeconds). A
/// failed reload keeps the keys held: an edge whose api nodes are down goes on verifying.
/// </summary>
internal sealed partial class SigningKeyRefresher(
    SigningKeyRing ring, IOptions<TenantOptions> options, ILogger<SigningKeyRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ring.ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogLoadFailed(logger, ex.Message);
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
                await ring.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLoadFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The signing keys could not be loaded ({Reason}); the keys held stay in use, retrying")]
    private static partial void LogLoadFailed(ILogger logger, string reason);
}
