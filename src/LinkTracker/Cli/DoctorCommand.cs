using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinkTracker.Runbook.Doctor;

namespace LinkTracker.Cli;

/// <summary>
/// `linktracker doctor`: asks the running service's /ops/doctor and prints each problem with its evidence and runbook
/// section. Exit code 0 healthy, 1 warnings, 2 needs action (or the service could not be asked), so cron can alert on it.
/// </summary>
internal static class DoctorCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var json = CliOptions.Json();
        var command = new Command("doctor", "Examine the running service: names each problem with its evidence and the runbook section that fixes it. Exit code 0 healthy, 1 warnings, 2 needs action")
        {
            url, data, json,
        };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var raw = await ops.GetRawAsync("/ops/doctor", cancellationToken);
            var report = JsonSerializer.Deserialize<DoctorReport>(raw, Json) ?? throw new InvalidOperationException("The service sent an empty doctor report.");
            if (result.GetValue(json))
            {
                Console.WriteLine(raw);
            }
            else
            {
                Print(report);
            }

            return report.ExitCode;
        }));
        return command;
    }

    private static void Print(DoctorReport report)
    {
        Console.WriteLine($"{report.Status.ToUpperInvariant()} at {report.CheckedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {report.Problems.Count} problem(s), exit code {report.ExitCode}");
        foreach (var problem in report.Problems)
        {
            var tenant = problem.Tenant is null ? "" : $" [tenant {problem.Tenant}]";
            Console.WriteLine();
            Console.WriteLine($"{(problem.Severity == DoctorSeverity.Action ? "ACTION " : "WARNING")} {problem.Check}{tenant}: {problem.Title}");
            Console.WriteLine($"  evidence: {problem.Evidence}");
            Console.WriteLine($"  runbook:  {problem.Runbook}");
        }

        Console.WriteLine();
        Console.WriteLine("checks: " + string.Join(", ", report.Checks.Select(c => $"{c.Name} {c.Status}")));
    }
}
