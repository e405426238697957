using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CsCheck;
using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.Tests.Clicks;

/// <summary>
/// Group commit (<see cref="ClickCapture"/>) against a plain model: the set of clicks accepted. Random capture modes,
/// group and buffer limits, concurrent bursts of redirects, journal appends that fail (once, or until capture gives up)
/// and a stop in the middle of a burst. The model: every accepted click is appended exactly once or counted as failed;
/// a Durable redirect is answered only after its click was appended (or given up on); a click refused at the stop is
/// never appended; no group is larger than the limit.
/// </summary>
public sealed class ClickCaptureModelTests
{
    private static readonly Gen<Script> Scripts =
        Gen.Select(Gen.Bool, Gen.Int[1, 12], Gen.Int[1, 6], Gen.Int[1, 40].Array[1, 6], Gen.Int[0, 12], Gen.Int[0, 4], Gen.Int[0, 6])
            .Select((durable, group, buffered, bursts, failFrom, failCount, stopAt) =>
                new Script(durable ? CaptureMode.Durable : CaptureMode.Buffered, group, buffered, bursts, failFrom, failCount, stopAt));

    [Fact]
    public void Capture_behaves_like_the_model() =>
        Scripts.Sample(script => RunAsync(script).GetAwaiter().GetResult(), iter: 60, time: 15, threads: 1, print: s => s.ToString());

    /// <summary>Three failed appends in a row: the group's redirects still go out, its clicks are counted as failed, nothing is appended twice.</summary>
    [Fact]
    public Task A_group_given_up_on_is_counted_and_the_next_groups_are_appended() =>
        RunAsync(new Script(CaptureMode.Durable, 4, 1, [10, 10], 0, 3, 6));

    private static async Task RunAsync(Script script)
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var journal = new ModelJournal(script.FailFrom, script.FailCount, script.MaxGroupSize);
        using var pending = new PendingClicks(journal);
        var metrics = new ClickMetrics(meters.GetRequiredService<IMeterFactory>(), pending, TimeProvider.System);
        var options = new CaptureOptions { Mode = script.Mode, MaxGroupSize = script.MaxGroupSize, MaxBuffered = script.MaxBuffered };
        var capture = new ClickCapture(journal, pending, metrics, Options.Create(options), NullLogger<ClickCapture>.Instance);

        var answered = new ConcurrentBag<string>();
        var captures = new List<(Click Click, Task Task)>();
        Task? stop = null;
        var next = 0;
        for (var b = 0; b < script.Bursts.Length; b++)
        {
            var burst = new List<Task<(Click, Task)>>();
            for (var i = 0; i < script.Bursts[b]; i++)
            {
                var click = new Click(Guid.CreateVersion7(), "t" + (next % 3), "c", "r" + next++, DateTimeOffset.UnixEpoch, null, null, null, ClickFlags.None);
                burst.Add(Task.Run(() => (click, Answer(capture.CaptureAsync(click), click))));
            }

            if (b == script.StopAt)
            {
                stop = Task.Run(async () => await capture.DisposeAsync());
            }

            foreach (var started in burst)
            {
                captures.Add(await started);
            }

            await Task.WhenAll(captures.Select(c => c.Task.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        await (stop ?? capture.DisposeAsync().AsTask());

        // The redirect waited for its click: at the moment its task completed, the click was appended or given up on.
        async Task Answer(Task committed, Click click)
        {
            await committed;
            if (script.Mode == CaptureMode.Durable && !journal.HasSeen(click.Id))
            {
                answered.Add($"{click.Recipient} was answered before its append");
            }
        }

        Assert.Empty(answered);
        Assert.Empty(journal.Problems);
        var accepted = captures.Where(c => !c.Task.IsFaulted).Select(c => c.Click.Id).ToHashSet();
        foreach (var (click, task) in captures.Where(c => c.Task.IsFaulted))
        {
            Assert.IsType<ObjectDisposedException>(task.Exception!.InnerException);
            Assert.False(journal.Appended.Contains(click.Id), $"{click.Recipient} was refused but appended");
        }

        Assert.True(journal.Appended.IsSubsetOf(accepted), "a click no redirect captured was appended");
        Assert.Equal(accepted.Count, journal.Appended.Count + metrics.CaptureFailures);
        Assert.Equal(journal.Appended.Count, metrics.Captured);
        if (script.StopAt >= script.Bursts.Length)
        {
            Assert.Equal(captures.Count, accepted.Count);
        }
    }

    public sealed record Script(CaptureMode Mode, int MaxGroupSize, int MaxBuffered, int[] Bursts, int FailFrom, int FailCount, int StopAt)
    {
        public override string ToString() =>
            $"{Mode}, group {MaxGroupSize}, buffered {MaxBuffered}, bursts [{string.Join(", ", Bursts)}], appends {FailFrom}..{FailFrom + FailCount - 1} fail, stop at burst {StopAt}";
    }

    /// <summary>An in-memory journal: appends are atomic (a failed one adds nothing); calls FailFrom.. fail.</summary>
    private sealed class ModelJournal(int failFrom, int failCount, int maxGroup) : IClickJournal
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Guid, int> _failures = [];
        private int _calls;

        public HashSet<Guid> Appended { get; } = [];

        public ConcurrentBag<string> Problems { get; } = [];

        /// <summary>Appended, or failed three times (capture's attempts) so that capture gave it up.</summary>
        public bool HasSeen(Guid id)
        {
            lock (_gate)
            {
                return Appended.Contains(id) || _failures.GetValueOrDefault(id) >= 3;
            }
        }

        public Task AppendAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var call = _calls++;
                if (clicks.Count > maxGroup)
                {
                    Problems.Add($"a group of {clicks.Count} over the limit {maxGroup}");
                }

                if (call >= failFrom && call < failFrom + failCount)
                {
                    foreach (var click in clicks)
                    {
                        _failures[click.Id] = _failures.GetValueOrDefault(click.Id) + 1;
                    }

                    throw new IOException($"append {call} failed (injected)");
                }

                foreach (var click in clicks)
                {
                    if (!Appended.Add(click.Id))
                    {
                        Problems.Add($"{click.Recipient} appended twice");
                    }
                }
            }

            return Task.CompletedTask;
        }

        public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(string tenant, int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<JournalEntry>>([]);

        public Task AcknowledgeAsync(string tenant, long throughSequence, CancellationToken cancellationToken) => Task.CompletedTask;

        public IReadOnlyDictionary<string, long> CountPending() => new Dictionary<string, long>();

        public Task<DateTimeOffset?> OldestPendingAsync(string? tenant, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
    }
}
