using System.Globalization;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Results;

/// <summary>What one scenario found: tables for people, every figure by name for machines, targets and the click audit.</summary>
public sealed class ScenarioReport(string id, string title)
{
    public string Id { get; } = id;

    public string Title { get; } = title;

    public string? Skipped { get; set; }

    public double Seconds { get; set; }

    public List<string> Notes { get; } = [];

    public List<Table> Tables { get; } = [];

    /// <summary>Performance targets: reported PASS/MISS, never enforced.</summary>
    public List<Check> Checks { get; } = [];

    /// <summary>Lost and duplicated clicks per tenant, and stored against captured: the bench fails unless every audit holds.</summary>
    public List<Integrity> Integrity { get; } = [];

    /// <summary>Every number of the scenario, by name (e.g. "durable.c64.tracked.rps").</summary>
    public SortedDictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    /// <summary>Time series and other structured data for the JSON file.</summary>
    public SortedDictionary<string, object> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>Warnings and errors the servers logged during the scenario.</summary>
    public List<string> ServiceProblems { get; } = [];

    public bool IntegrityOk => Integrity.All(i => i.Ok);

    public void Figure(string name, double value) => Figures[name] = Math.Round(value, 4);

    public void Check(string name, double observed, string comparison, double target, string unit = "")
    {
        var passed = comparison switch
        {
            "<" => observed < target,
            "<=" => observed <= target,
            ">=" => observed >= target,
            "==" => Math.Abs(observed - target) < 1e-9,
            _ => throw new ArgumentException($"unknown comparison {comparison}", nameof(comparison)),
        };
        Checks.Add(new Check(name, Format(observed) + unit, $"{comparison} {Format(target)}{unit}", passed));
    }

    public static string Format(double value) => value switch
    {
        _ when double.IsNaN(value) => "n/a",
        _ when Math.Abs(value) >= 100 || value == Math.Floor(value) => value.ToString("#,0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

public sealed record Table(string Title, IReadOnlyList<string> Columns, List<IReadOnlyList<string>> Rows)
{
    public Table(string title, params string[] columns)
        : this(title, columns, [])
    {
    }

    public void Add(params object?[] cells) => Rows.Add([.. cells.Select(c => c switch
    {
        double d => ScenarioReport.Format(d),
        long l => ScenarioReport.Format(l),
        int i => ScenarioReport.Format(i),
        null => "",
        _ => c.ToString() ?? "",
    })]);
}

public sealed record Check(string Name, string Observed, string Target, bool Passed)
{
    public string Verdict => Passed ? "PASS" : "MISS";
}

/// <summary>
/// One tenant's clicks (or several tenants' summed), read via "click listing" (every stored click, by recipient), "stats
/// totals" or "PostgreSQL rows". StoredNotAcknowledged: stored clicks whose redirect the client never saw (e.g. the
/// connection failed); reported, not an error.
/// </summary>
public sealed record Integrity(
    string Tenant, string Method, long Acknowledged, long Stored, long Lost, long Duplicated, long StoredNotAcknowledged)
{
    /// <summary>
    /// The service's own counters over exactly these clicks (set only where the audit covers everything the processes
    /// captured, and no process restarted): stored must equal captured and the rows the writer inserted, and the writer
    /// must have met no click twice.
    /// </summary>
    public WriterCounts? Writer { get; init; }

    /// <summary>Why this audit fails; empty when it holds.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            List<string> problems = [];
            if (Lost != 0)
            {
                problems.Add($"{ScenarioReport.Format(Lost)} lost");
            }

            if (Duplicated != 0)
            {
                problems.Add($"{ScenarioReport.Format(Duplicated)} duplicated");
            }

            if (Writer is { } w)
            {
                if (w.Captured != Stored)
                {
                    problems.Add($"stored {ScenarioReport.Format(Stored)} ≠ captured {ScenarioReport.Format(w.Captured)}");
                }

                if (w.RowsInserted != Stored)
                {
                    problems.Add($"stored {ScenarioReport.Format(Stored)} ≠ rows the writer inserted {ScenarioReport.Format(w.RowsInserted)}");
                }

                if (w.Duplicates != 0)
                {
                    problems.Add($"the writer met {ScenarioReport.Format(w.Duplicates)} clicks already stored (delivered twice, no restart)");
                }
            }

            return problems;
        }
    }

    public bool Ok => Problems.Count == 0;
}
