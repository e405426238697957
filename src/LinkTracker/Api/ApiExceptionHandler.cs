using System.Data.Common;
using LinkTracker.Core.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Api;

/// <summary>Turns what went wrong into RFC 7807 problem details a person can act on.</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What a 503 for an unavailable database asks the caller to wait before retrying: a restart takes seconds.</summary>
    internal const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = exception is DbException db && IsUnavailable(db) && !httpContext.RequestAborted.IsCancellationRequested;
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Request body too large", "The request body is larger than this API accepts. Send fewer links per batch (at most 1,000)."),
            BadHttpRequestException bad => BadRequestProblems.Describe(bad, httpContext),
            InvalidCursorException cursor => (400, "Invalid cursor", cursor.Message),
            SchemaTooNewException schema => (503, "Database newer than this service", schema.Message),
            SchemaTooOldException schema => (503, "Database not migrated yet", schema.Message),
            DbException when unavailable =>
                (503, "Database unavailable", "The database did not answer this time (it may be restarting or busy). Retry in a few seconds; a change you sent may need checking before you send it again."),
            _ => (500, "Internal error", "Something went wrong on our side; nothing was changed. Retry, and if it persists, report the trace id."),
        };

        if (status >= 500)
        {
            LogUnhandled(logger, exception);
        }

        httpContext.Response.StatusCode = status;
        if (unavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// The database did not answer this time and may the next: a transient error by its driver's account (PostgreSQL's
    /// connection errors, Npgsql's timeouts), or SQLite's lock still held after busy_timeout (e.g. the recipient index
    /// being built on that tenant's file), which Microsoft.Data.Sqlite does not mark transient.
    /// </summary>
    internal static bool IsUnavailable(DbException exception) =>
        exception.IsTransient || exception is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
