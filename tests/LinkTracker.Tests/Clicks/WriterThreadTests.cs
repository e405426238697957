using LinkTracker.Clicks;

namespace LinkTracker.Tests.Clicks;

public sealed class WriterThreadTests
{
    [Fact]
    public async Task A_loop_and_its_continuations_run_on_the_writer_thread_at_the_configured_nice()
    {
        using var writer = new WriterThread(nice: 7);
        var threads = new List<string?>();
        var nice = -1;
        await writer.RunAsync(async () =>
        {
            threads.Add(Thread.CurrentThread.Name);
            await Task.Delay(10);
            threads.Add(Thread.CurrentThread.Name);
            await Task.Yield();
            threads.Add(Thread.CurrentThread.Name);
            nice = OperatingSystem.IsLinux() ? NiceOfThisThread() : 7;
        }, CancellationToken.None);

        Assert.Equal(["click-writer", "click-writer", "click-writer"], threads);
        Assert.Equal(7, nice);
    }

    [Fact]
    public async Task A_failing_loop_faults_the_task_it_returns()
    {
        using var writer = new WriterThread(nice: 0);
        var failed = writer.RunAsync(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("planted");
        }, CancellationToken.None);

        Assert.Equal("planted", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
    }

    /// <summary>Field 19 of /proc/thread-self/stat (after the command name in parentheses) is the thread's nice.</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
