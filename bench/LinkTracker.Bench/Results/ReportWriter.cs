using System.Globalization;
using System.Text;
using System.Text.Json;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Results;

/// <summary>Writes a run as Markdown (for people) and JSON (every figure), timestamped and as latest.*.</summary>
public static class ReportWriter
{
    public static async Task<string> WriteAsync(BenchReport report, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var stamp = report.StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + report.Mode;
        var markdown = ToMarkdown(report);
        var json = JsonSerializer.Serialize(report, Json.Indented);
        foreach (var name in (string[])[stamp, "latest"])
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".md"), markdown, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".json"), json + "\n", cancellationToken);
        }

        return Path.Combine(folder, stamp + ".md");
    }

    public static string ToMarkdown(BenchReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"# LinkTracker benchmark ({report.Mode})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- When: {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {(report.FinishedAt - report.StartedAt).TotalSeconds:0} s");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Commit: `{m.Commit}`{(m.UncommittedChanges ? " (with uncommitted changes)" : "")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {m.Cores} cores, {m.Cpu}, {m.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, {m.Os} (kernel {m.Kernel})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Runtime: {m.Runtime}, SDK {m.Sdk}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average when the bench started (1, 5, 15 min): {m.LoadAverageAtStart} (run.sh's build just before raises it; see the Other cores columns)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `bash bench/run.sh {string.Join(' ', report.Arguments)}`");
        md.AppendLine("- Load generator and servers share the machine: the CPU columns show who used how many cores.");
        md.AppendLine();
        md.AppendLine(report.IntegrityOk
            ? "**Clicks: every acknowledged redirect was stored exactly once (lost 0, duplicated 0); where the service's counters were read, "
                + "stored = captured = rows inserted and the writer met no click twice.**"
            : "**CLICKS LOST, DUPLICATED OR NOT AS CAPTURED: see the integrity tables below. The bench exits with code 1.**");
        md.AppendLine();

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("Reported, not enforced (only the click audits fail the run).");
        md.AppendLine();
        md.AppendLine("| Scenario | Target | Observed | Wanted | |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var s in report.Scenarios)
        {
            foreach (var c in s.Checks)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Id} | {c.Name} | {c.Observed} | {c.Target} | {c.Verdict} |");
            }
        }

        md.AppendLine();
        foreach (var s in report.Scenarios)
        {
            AppendScenario(md, s);
        }

        return md.ToString();
    }

    private static void AppendScenario(StringBuilder md, ScenarioReport s)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"## ({s.Id}) {s.Title}");
        md.AppendLine();
        if (s.Skipped is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"skipped: {s.Skipped}");
            md.AppendLine();
            // A scenario that failed part-way still shows what it measured before.
            if (s.Tables.Count == 0 && s.Integrity.Count == 0)
            {
                return;
            }
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Took {s.Seconds:0} s.");
        md.AppendLine();
        foreach (var note in s.Notes)
        {
            md.AppendLine("- " + note);
        }

        if (s.Notes.Count > 0)
        {
            md.AppendLine();
        }

        foreach (var table in s.Tables)
        {
            AppendTable(md, table);
        }

        if (s.Integrity.Count > 0)
        {
            var integrity = new Table(
                "Clicks: acknowledged (302 received) and captured (the service's count) vs stored",
                "Tenant", "Read via", "Acknowledged", "Captured", "Stored", "Lost", "Duplicated", "Stored, not acknowledged", "Rows inserted",
                "Writer duplicates", "Capture failures", "");
            foreach (var i in s.Integrity)
            {
                var w = i.Writer;
                integrity.Add(i.Tenant, i.Method, i.Acknowledged, w?.Captured, i.Stored, i.Lost, i.Duplicated, i.StoredNotAcknowledged, w?.RowsInserted,
                    w?.Duplicates, w?.CaptureFailures, i.Ok ? "ok" : "**FAIL**: " + string.Join("; ", i.Problems));
            }

            AppendTable(md, integrity);
        }

        if (s.Checks.Count > 0)
        {
            var checks = new Table("Targets", "Target", "Observed", "Wanted", "");
            foreach (var c in s.Checks)
            {
                checks.Add(c.Name, c.Observed, c.Target, c.Verdict);
            }

            AppendTable(md, checks);
        }

        if (s.ServiceProblems.Count > 0)
        {
            md.AppendLine("Warnings and errors the servers logged:");
            md.AppendLine();
            md.AppendLine("```");
            foreach (var line in s.ServiceProblems)
            {
                md.AppendLine(line);
            }

            md.AppendLine("```");
            md.AppendLine();
        }
    }

    private static void AppendTable(StringBuilder md, Table table)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"**{table.Title}**");
        md.AppendLine();
        md.AppendLine("| " + string.Join(" | ", table.Columns) + " |");
        md.AppendLine("|" + string.Concat(table.Columns.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in table.Rows)
        {
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        md.AppendLine();
    }
}
