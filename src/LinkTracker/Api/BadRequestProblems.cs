using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LinkTracker.Api;

/// <summary>
/// What a caller reads when the framework cannot bind a request: the parameter or JSON path at fault and what is
/// expected there. The framework's own messages name the handler's types ("LinkTracker.Links.CreateLinkRequest",
/// "Did you mean to use a Service instead?"), which tell a caller nothing and describe our code to a stranger.
/// </summary>
internal static partial class BadRequestProblems
{
    private const string Reference = "Every call's parameters and body are described in /openapi/v1.json.";

    public static (int Status, string Title, string Detail) Describe(BadHttpRequestException exception, HttpContext context)
    {
        var message = exception.Message;
        if (exception.InnerException is JsonException json)
        {
            var at = json.Path is { Length: > 0 } path ? $"at {path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})" : "in it";
            return (400, "Malformed JSON",
                $"The request body is not valid JSON for this call: the value {at} is malformed or of the wrong type. The body must be {BodyShape(context)}.");
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (415, "Unsupported media type", "Send the body as JSON with the header 'Content-Type: application/json'.");
        }

        if (message.StartsWith("Implicit body", StringComparison.Ordinal) || message.EndsWith("from body.", StringComparison.Ordinal))
        {
            return (400, "Missing body", $"The request body is empty. It must be {BodyShape(context)}.");
        }

        var name = ParameterPattern().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;
        if (name is not null && message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            return (400, "Invalid parameter", $"{name} must be {Expected(ParameterType(context, name))}. {Reference}");
        }

        if (name is not null && message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return (400, "Missing parameter", $"{name} is required: {Expected(ParameterType(context, name))}. {Reference}");
        }

        return (exception.StatusCode, "Bad request", $"The request could not be read; check its parameters and body. {Reference}");
    }

    // The framework's binding messages quote the parameter as "<type> <name>".
    [GeneratedRegex("parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();

    // The exception handler clears the endpoint before it runs; its feature keeps the one that failed.
    private static Endpoint? Endpoint(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();

    private static Type? ParameterType(HttpContext context, string name) =>
        Endpoint(context)?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    private static string BodyShape(HttpContext context)
    {
        var type = Endpoint(context)?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        if (type is null || type == typeof(JsonElement))
        {
            return "a JSON object";
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var info = options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object
            ? $"a JSON object with the properties {string.Join(", ", info.Properties.Select(p => $"{p.Name} ({JsonKind(p.PropertyType)})"))}"
            : $"{JsonKind(type)}";
    }

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "of the form the API description gives",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number, e.g. 50",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 time with an offset, e.g. 2026-11-01T13:00:00Z",
            _ when type == typeof(DateOnly) => "a date, yyyy-MM-dd",
            _ when type == typeof(Guid) => "a UUID",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
            _ => "text",
        };
    }

    private static string JsonKind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "ISO 8601 time string",
            _ when type == typeof(DateOnly) => "date string, yyyy-MM-dd",
            _ when type.IsPrimitive || type == typeof(decimal) => "number",
            _ when type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "array",
            _ => "object",
        };
    }
}
