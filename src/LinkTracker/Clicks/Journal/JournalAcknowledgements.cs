using System.Globalization;
using System.Text;

namespace LinkTracker.Clicks.Journal;

/// <summary>
/// Where each tenant's acknowledged clicks end, written at a clean stop (journal/acks) so that a restart does not
/// deliver them again; after a crash the file is older than the truth, which only replays clicks (positions only
/// move forward, and segment numbers never go back while the file exists). Text: "next N", then one line per tenant
/// "tenant segment offset consumed": every record of the tenant before (segment, offset) is acknowledged, and the
/// first <c>consumed</c> clicks of the record there.
/// </summary>
internal sealed record JournalAcknowledgements(long NextSegment, IReadOnlyDictionary<string, (long Segment, long Offset, int Consumed)> Tenants)
{
    public const string FileName = "acks";

    /// <summary>Whether the record of <paramref name="tenant"/> at (segment, offset) was acknowledged whole, and if not, how many of its first clicks were.</summary>
    public (bool Whole, int Consumed) Of(string tenant, long segment, long offset)
    {
        if (!Tenants.TryGetValue(tenant, out var at))
        {
            return (false, 0);
        }

        var before = segment < at.Segment || (segment == at.Segment && offset < at.Offset);
        return (before, segment == at.Segment && offset == at.Offset ? at.Consumed : 0);
    }

    /// <summary>The file in <paramref name="folder"/>, or null when there is none or it cannot be read (everything on disk is then delivered again).</summary>
    public static JournalAcknowledgements? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[^1] != "end" || !lines[0].StartsWith("next ", StringComparison.Ordinal) || !long.TryParse(lines[0].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var next))
        {
            return null;
        }

        var tenants = new Dictionary<string, (long, long, int)>(StringComparer.Ordinal);
        foreach (var line in lines.AsSpan(1, lines.Length - 2))
        {
            var f = line.Split(' ');
            if (f.Length != 4 || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
                || !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !int.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var consumed))
            {
                return null;
            }

            tenants[f[0]] = (segment, offset, consumed);
        }

        return new JournalAcknowledgements(next, tenants);
    }

    /// <summary>Replaces the file durably (a temporary file, fsync, rename, fsync of the folder).</summary>
    public void Write(string folder)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"next {NextSegment}\n");
        foreach (var (tenant, (segment, offset, consumed)) in Tenants)
        {
            if (tenant.Length == 0 || tenant.Any(char.IsWhiteSpace))
            {
                continue; // not a slug: its clicks are simply delivered again
            }

            text.Append(CultureInfo.InvariantCulture, $"{tenant} {segment} {offset} {consumed}\n");
        }

        text.Append("end\n");
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.ASCII.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(folder);
    }
}
