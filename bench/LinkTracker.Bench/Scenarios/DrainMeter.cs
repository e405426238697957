using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// Times writers draining a backlog that was filled before they started, from their own counters (/ops/writer, read
/// every 100 ms): the rate runs from the first reading once every writer is ready until the reading where they have
/// written (inserted, or met as stored) every click expected, so the processes' start is not counted.
/// </summary>
public static class DrainMeter
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>What the writers did over the measured window, and the CPU each named part used meanwhile.</summary>
    /// <param name="Written">Clicks written (inserted + met as stored) in the window.</param>
    /// <param name="Transactions">Write transactions in the window.</param>
    /// <param name="Seconds">The window.</param>
    /// <param name="BeforeWindow">Clicks already written at the window's first reading (after the writers' start).</param>
    /// <param name="Drained">Whether everything was written before the timeout.</param>
    /// <param name="Cores">Cores per named part over the window, plus "machine" (every process, others' too).</param>
    /// <param name="Progress">Seconds since the window began and clicks written by then, one reading a second.</param>
    public sealed record Result(
        long Written, long Transactions, double Seconds, long BeforeWindow, bool Drained, IReadOnlyDictionary<string, double> Cores,
        IReadOnlyList<double[]> Progress)
    {
        /// <summary>The writers' statuses at the window's first reading.</summary>
        public IReadOnlyList<WriterStatus> First { get; init; } = [];

        public double ClicksPerSecond => Seconds > 0 ? Written / Seconds : double.NaN;

        public double TransactionsPerSecond => Seconds > 0 ? Transactions / Seconds : double.NaN;

        public double ClicksPerTransaction => Transactions > 0 ? (double)Written / Transactions : double.NaN;
    }

    /// <param name="writers">The writers' /ops clients (the processes just started).</param>
    /// <param name="done">Whether the writers have written everything, from their statuses and the clicks they wrote.</param>
    /// <param name="cpu">CPU used so far by each part worth showing (e.g. the worker, PostgreSQL), by name.</param>
    /// <param name="timeout">Gives up after this long.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<Result> MeasureAsync(
        IReadOnlyList<OpsClient> writers, Func<IReadOnlyList<WriterStatus>, long, bool> done, Func<IReadOnlyDictionary<string, TimeSpan>> cpu, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = cpu();
        var machineBefore = MachineCpu.Read();
        var (first, written0, transactions0) = await ReadAsync(writers, cancellationToken);
        List<double[]> progress = [[0, written0]];
        var (written, transactions) = (written0, transactions0);
        var drained = done(first, written);
        while (!drained && Stopwatch.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(Interval, cancellationToken);
            (var statuses, written, transactions) = await ReadAsync(writers, cancellationToken);
            drained = done(statuses, written);
            var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (drained || at - progress[^1][0] >= 1)
            {
                progress.Add([Math.Round(at, 2), written]);
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = cpu();
        var cores = cpuAfter.ToDictionary(p => p.Key, p => (p.Value - cpuBefore.GetValueOrDefault(p.Key)).TotalSeconds / seconds, StringComparer.Ordinal);
        cores["machine"] = MachineCpu.Read().CoresSince(machineBefore);
        return new Result(written - written0, transactions - transactions0, seconds, written0, drained, cores, progress) { First = first };
    }

    private static async Task<(WriterStatus[] Statuses, long Written, long Transactions)> ReadAsync(IReadOnlyList<OpsClient> writers, CancellationToken cancellationToken)
    {
        var statuses = await Task.WhenAll(writers.Select(w => w.GetWriterAsync(cancellationToken)));
        return (statuses, statuses.Sum(s => s.RowsInserted + s.Duplicates), statuses.Sum(s => s.Transactions));
    }
}
