namespace LinkTracker.Redis;

/// <summary>Counts the nodes' confirmations of one invalidation until as many as received it have answered.</summary>
internal sealed class InvalidationConfirmations
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private long _confirmed;
    private long _expected = long.MaxValue;

    public void Confirm()
    {
        lock (_gate)
        {
            _confirmed++;
            Check();
        }
    }

    /// <returns>Whether every receiver confirmed within <paramref name="wait"/>.</returns>
    public async Task<bool> WaitAsync(long receivers, TimeSpan wait, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _expected = receivers;
            Check();
        }

        try
        {
            await _all.Task.WaitAsync(wait, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false; // A node drops its copy before it confirms: a missing answer means a slow node or a lost connection.
        }
    }

    private void Check()
    {
        if (_confirmed >= _expected)
        {
            _all.TrySetResult();
        }
    }
}
