using System.Runtime.ExceptionServices;

namespace LinkTracker.Core.Common;

/// <summary>Two pieces of work at once that both must succeed, as the two halves of a segment's recipient read.</summary>
public static class Concurrently
{
    /// <summary>
    /// Runs both at once. The first to fail cancels the other, and its exception is the one thrown, not the other's
    /// cancellation; nothing returns before both have ended, so neither outlives what the caller disposes after.
    /// </summary>
    public static async Task<(T First, T Second)> BothAsync<T>(
        Func<CancellationToken, Task<T>> first, Func<CancellationToken, Task<T>> second, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        async Task<T> RunAsync(Func<CancellationToken, Task<T>> work)
        {
            try
            {
                return await work(stop.Token);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
                await stop.CancelAsync();
                throw;
            }
        }

        var a = RunAsync(first);
        var b = RunAsync(second);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch
        {
            failure!.Throw();
        }

        return (a.Result, b.Result);
    }
}
