using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Runbook;

/// <summary>The operator credential of /ops/* and /metrics.</summary>
public sealed class OpsOptions
{
    public const string Section = "Ops";

    /// <summary>The operator token (32+ characters); empty: one is generated at first start into the data folder's ops-token file (mode 0600).</summary>
    [MinLength(32, ErrorMessage = "Ops:Token must be at least 32 characters (e.g. openssl rand -hex 32), or left empty to use the generated data/ops-token.")]
    public string? Token { get; set; }
}
