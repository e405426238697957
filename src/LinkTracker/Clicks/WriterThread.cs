using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LinkTracker.Clicks;

/// <summary>
/// A thread of its own for the click writer, at a lower scheduling priority (Linux nice): when redirects keep every core
/// busy, the kernel gives them the CPU and the writer's work turns into lag, as rule 1 wants; on an idle machine the
/// writer runs at full speed. Code awaited in a task started here resumes here (the awaits capture this scheduler).
/// </summary>
public sealed class WriterThread : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly int _nice;
    private readonly Thread _thread;

    public WriterThread(int nice)
    {
        _nice = nice;
        _thread = new Thread(Run) { IsBackground = true, Name = "click-writer" };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Runs an async loop on this thread; its continuations stay here.</summary>
    public Task RunAsync(Func<Task> loop, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(loop, cancellationToken, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public void Dispose() => _tasks.CompleteAdding();

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _tasks];

    private void Run()
    {
        if (_nice != 0 && OperatingSystem.IsLinux())
        {
            // Best effort: raising one's own nice needs no privilege; a failure leaves the thread at normal priority.
            _ = SetPriority(0, GetTid(), _nice);
        }

        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
