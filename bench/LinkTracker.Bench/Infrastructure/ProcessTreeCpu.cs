using System.Globalization;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// CPU (user + system) used so far by processes and all their descendants, from /proc: e.g. PostgreSQL's backends
/// under the postmaster. A descendant that exits between two readings takes its share with it, so this undercounts
/// short-lived children (the services' connections are pooled, so theirs live through a run).
/// </summary>
public static class ProcessTreeCpu
{
    private const int ClockTicksPerSecond = 100;

    public static TimeSpan Read(IReadOnlyCollection<int> roots)
    {
        if (roots.Count == 0 || !Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryRead(pid, out var stat))
            {
                stats[pid] = stat;
            }
        }

        var inTree = new HashSet<int>(roots);
        // Parents come before children often but not always: repeat until nothing joins.
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, stat) in stats)
            {
                if (!inTree.Contains(pid) && inTree.Contains(stat.Parent))
                {
                    grew = inTree.Add(pid);
                }
            }
        }

        var ticks = inTree.Sum(pid => stats.TryGetValue(pid, out var stat) ? stat.Ticks : 0);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    private static bool TryRead(int pid, out (int Parent, long Ticks) stat)
    {
        stat = default;
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // After "pid (comm) ": state ppid ... utime (14th field overall) stime (15th).
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            stat = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            return true;
        }
        catch (IOException)
        {
            return false; // exited meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
