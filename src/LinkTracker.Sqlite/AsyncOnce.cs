namespace LinkTracker.Sqlite;

/// <summary>Runs a start-up step once; when it fails, the next caller tries again.</summary>
internal sealed class AsyncOnce(Func<Task> run)
{
    private readonly Lock _gate = new();
    private Task? _task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            task = _task ??= run();
        }

        try
        {
            await task.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (_task == task)
                {
                    _task = null;
                }
            }

            throw;
        }
    }
}
