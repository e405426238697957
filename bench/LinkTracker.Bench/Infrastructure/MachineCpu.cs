using System.Globalization;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>The whole machine's CPU from /proc/stat: shows load from other processes (builds, tests) during a run.</summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return new MachineCpu(total - idle, total);
    }

    /// <summary>Busy cores on average since <paramref name="earlier"/>.</summary>
    public double CoresSince(MachineCpu earlier) =>
        Total == earlier.Total ? 0 : (double)(Busy - earlier.Busy) / (Total - earlier.Total) * Environment.ProcessorCount;
}
