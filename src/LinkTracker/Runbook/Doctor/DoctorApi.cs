using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Runbook.Doctor;

/// <summary>GET /ops/doctor: every check's verdict and each problem with its evidence and runbook section (200 whatever the verdict).</summary>
public static class DoctorApi
{
    public static RouteGroupBuilder MapDoctorApi(this RouteGroupBuilder ops)
    {
        ops.MapGet("/doctor", ExamineAsync)
            .WithSummary("Checks the live signals and names each problem with its evidence and the runbook section that fixes it; exitCode 0 healthy, 1 warnings, 2 needs action");
        return ops;
    }

    public static async Task<Ok<DoctorReport>> ExamineAsync(Doctor doctor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await doctor.ExamineAsync(cancellationToken));
}
