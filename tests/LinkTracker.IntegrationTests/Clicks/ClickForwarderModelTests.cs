using System.Diagnostics.Metrics;
using CsCheck;
using LinkTracker.Clicks;
using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// The edge's forwarder over a real segment journal (small segments), against <see cref="ForwardedClicksModel"/>:
/// random appends over several tenants, forward rounds with a broker that refuses publishes, clean restarts and
/// crashes (the journal's files copied while it is open: what a kill -9 leaves on disk).
/// </summary>
public sealed class ClickForwarderModelTests
{
    private static readonly string[] Tenants = ["a", "b", "c"];

    private static readonly Gen<int> GenBatchSize = Gen.Frequency((1, Gen.Int[1, 10]), (3, Gen.Int[10, 2_000]));

    /// <summary>Which publish (0: the first) the broker refuses during an operation; -1: none.</summary>
    private static readonly Gen<int> GenFailAt = Gen.Frequency((3, Gen.Const(-1)), (2, Gen.Int[0, 3]));

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (5, Gen.Select(Gen.Frequency((3, Gen.Int[1, 100]), (2, Gen.Int[1, 5_000])), Gen.Int[0, 2], Gen.Int[1, 3], (n, first, spread) => (Op)new Append(n, first, spread))),
        (5, Gen.Select(Gen.Int[1, 4], GenFailAt, (rounds, failAt) => (Op)new Forward(rounds, failAt))),
        (1, Gen.Select(GenBatchSize, Gen.Int[0, 3], (batchSize, failAt) => (Op)new CleanRestart(batchSize, failAt))),
        (1, GenBatchSize.Select(batchSize => (Op)new CrashRestart(batchSize))));

    private static readonly Gen<(long SegmentBytes, int BatchSize, Op[] Ops)> GenRun =
        Gen.Select(Gen.Int[2_000, 400_000].Select(b => (long)b), GenBatchSize, GenOp.Array[1, 25]);

    [Fact]
    public async Task Forwarding_through_failures_restarts_and_crashes_follow_the_model() =>
        await GenRun.SampleAsync(
            run => RunAsync(run.SegmentBytes, run.BatchSize, run.Ops),
            time: 15,
            threads: 1,
            print: run => $"segmentBytes {run.SegmentBytes}, batchSize {run.BatchSize}\n{string.Join("\n", run.Ops.Select(o => o.ToString()))}");

    [Fact]
    public async Task Acknowledged_clicks_stay_acknowledged_over_two_clean_restarts_when_their_segment_is_kept_for_another_tenant() =>
        await RunAsync(SegmentClickJournal.SegmentBytes, 10, [new Append(2, 0, 2), new Forward(1, FailAt: 1), new CleanRestart(10, FailAt: 0), new CleanRestart(10, FailAt: 0)]);

    internal static async Task RunAsync(long segmentBytes, int batchSize, Op[] ops)
    {
        await using var edge = new Edge(segmentBytes);
        var model = new ForwardedClicksModel(Tenants);
        await edge.OpenAsync(batchSize);
        var minted = 0;
        foreach (var op in ops)
        {
            switch (op)
            {
                case Append(var n, var first, var spread):
                    var clicks = Enumerable.Range(0, n)
                        .Select(i => new Click(Guid.CreateVersion7(), Tenants[(first + (i % spread)) % Tenants.Length], "c", $"r{minted++}", DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + minted), null, null, null, ClickFlags.None))
                        .ToList();
                    await edge.Journal.AppendAsync(clicks, CancellationToken.None);
                    edge.Pending.Appended();
                    model.Appended(clicks);
                    break;
                case Forward(var rounds, var failAt):
                    edge.Publisher.Arm(failAt);
                    for (var r = 0; r < rounds && await edge.RoundAsync(); r++)
                    {
                    }

                    break;
                case CleanRestart(var size, var failAt):
                    edge.Publisher.Arm(failAt); // the drain on stop forwards until the broker refuses
                    await edge.StopAsync();
                    edge.Publisher.Check(model, edge.BatchSize);
                    model.StoppedCleanly();
                    await edge.OpenAsync(size);
                    break;
                case CrashRestart(var size):
                    await edge.CrashAsync(size);
                    model.Crashed(edge.Journal.CountPending());
                    break;
            }

            edge.Publisher.Check(model, edge.BatchSize);
            Assert.Equal(model.Pending(), edge.Journal.CountPending());
        }

        // The broker works again: everything left goes out, and a clean restart brings nothing back.
        edge.Publisher.Arm(-1);
        for (var round = 0; edge.Journal.CountPending().Count > 0; round++)
        {
            Assert.True(round < 100_000, "the forwarder stopped forwarding");
            await edge.RoundAsync();
            edge.Publisher.Check(model, edge.BatchSize);
        }

        model.AssertAllPublished();
        await edge.StopAsync();
        await edge.OpenAsync(batchSize);
        Assert.Empty(edge.Journal.CountPending());
    }

    internal abstract record Op;

    internal sealed record Append(int Clicks, int FirstTenant, int Tenants) : Op;

    /// <summary>Forward rounds, one after another, until the broker refuses one publish.</summary>
    internal sealed record Forward(int Rounds, int FailAt) : Op;

    /// <summary>Stop the worker (it drains until the broker refuses) and dispose the journal; open both again.</summary>
    internal sealed record CleanRestart(int BatchSize, int FailAt) : Op;

    /// <summary>Copy the journal's files while it is open and start over on the copy, as after a kill -9.</summary>
    internal sealed record CrashRestart(int BatchSize) : Op;

    /// <summary>One edge node's journal and forwarder, reopened on restarts; the broker outlives them.</summary>
    private sealed class Edge(long segmentBytes) : IAsyncDisposable
    {
        private readonly TempFolder _root = new();
        private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly List<SegmentClickJournal> _crashed = [];
        private int _folders;
        private string _folder = "";
        private ClickForwarderWorker? _worker;

        public FlakyPublisher Publisher { get; } = new();

        public SegmentClickJournal Journal { get; private set; } = null!;

        public PendingClicks Pending { get; private set; } = null!;

        public int BatchSize { get; private set; }

        public async Task OpenAsync(int batchSize)
        {
            if (_folder.Length == 0)
            {
                _folder = NewFolder();
            }

            BatchSize = batchSize;
            Journal = new SegmentClickJournal(_folder, syncEachAppend: false, NullLogger<SegmentClickJournal>.Instance, segmentBytes);
            await Journal.MigrateAsync(CancellationToken.None);
            Pending = new PendingClicks(Journal);
            var metrics = new ClickMetrics(_meters.GetRequiredService<IMeterFactory>(), Pending, TimeProvider.System);
            var options = Options.Create(new ForwarderOptions { BatchSize = batchSize, LingerMilliseconds = 0, DrainOnStopSeconds = 60 });
            _worker = new ClickForwarderWorker(new JournalInbox(Journal, Pending), Publisher, Pending, metrics, TimeProvider.System, options, NullLogger<ClickForwarderWorker>.Instance);
        }

        /// <returns>False when the broker refused a publish (the round's remaining tenants wait for the next).</returns>
        public async Task<bool> RoundAsync()
        {
            try
            {
                await _worker!.ForwardRoundAsync(linger: false, CancellationToken.None);
                return true;
            }
            catch (BrokerRefusedException)
            {
                return false;
            }
        }

        public async Task StopAsync()
        {
            await _worker!.StopAsync(CancellationToken.None);
            _worker.Dispose();
            Journal.Dispose();
            Pending.Dispose();
        }

        /// <summary>The journal is left open (no acknowledgements written, nothing deleted); a new one opens on a copy of its files.</summary>
        public async Task CrashAsync(int batchSize)
        {
            var copy = NewFolder();
            foreach (var file in Directory.GetFiles(_folder).Where(f => Path.GetFileName(f) != "journal.lock"))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            _crashed.Add(Journal);
            _worker!.Dispose();
            Pending.Dispose();
            _folder = copy;
            await OpenAsync(batchSize);
        }

        public async ValueTask DisposeAsync()
        {
            _worker?.Dispose();
            Journal?.Dispose();
            Pending?.Dispose();
            _crashed.ForEach(j => j.Dispose());
            await _meters.DisposeAsync();
            _root.Dispose();
        }

        private string NewFolder() => Directory.CreateDirectory(Path.Combine(_root.Path, $"journal{_folders++}")).FullName;
    }

    /// <summary>The broker: refuses the armed publish, records the confirmed ones.</summary>
    private sealed class FlakyPublisher : IClickPublisher
    {
        private readonly List<(string Tenant, Click[] Clicks)> _confirmed = [];
        private int _failAt = -1;
        private int _calls;

        public void Arm(int failAt) => (_failAt, _calls) = (failAt, 0);

        public Task PublishAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
        {
            if (_calls++ == _failAt)
            {
                throw new BrokerRefusedException();
            }

            _confirmed.Add((tenant, [.. clicks]));
            return Task.CompletedTask;
        }

        /// <summary>Hands the messages confirmed since the last check to the model, in order.</summary>
        public void Check(ForwardedClicksModel model, int batchSize)
        {
            foreach (var (tenant, clicks) in _confirmed)
            {
                model.Published(tenant, clicks, batchSize);
            }

            _confirmed.Clear();
        }
    }

    private sealed class BrokerRefusedException() : IOException("The broker did not confirm.");
}
