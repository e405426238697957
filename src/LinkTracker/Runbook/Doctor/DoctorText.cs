using System.Globalization;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Numbers as the doctor and the insights write them: invariant, short.</summary>
internal static class DoctorText
{
    public static string Window => $"the last {TenantActivity.Window.TotalMinutes:0} minutes";

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Seconds(double seconds) => seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    public static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
