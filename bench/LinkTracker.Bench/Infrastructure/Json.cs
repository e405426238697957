using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkTracker.Bench.Infrastructure;

public static class Json
{
    /// <summary>The API's conventions: camelCase, case-insensitive reads.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>For the results file: indented, camelCase; a figure that could not be measured is written as "NaN".</summary>
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
