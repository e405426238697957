using System.Data.Common;
using System.Text.Json.Nodes;
using LinkTracker.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.Tests.Api;

public sealed class ApiExceptionHandlerTests
{
    [Fact]
    public async Task A_database_that_does_not_answer_is_a_503_with_retry_after_not_a_500()
    {
        var (status, retryAfter, body) = await HandleAsync(new TestDbException(transient: true));

        Assert.Equal(503, status);
        Assert.Equal(ApiExceptionHandler.RetryAfterSeconds, retryAfter);
        Assert.Equal("Database unavailable", (string?)body["title"]);
        Assert.Contains("Retry in a few seconds", (string?)body["detail"]);
    }

    [Theory]
    [InlineData(5)] // SQLITE_BUSY: the lock outlasted busy_timeout
    [InlineData(6)] // SQLITE_LOCKED
    public async Task A_sqlite_database_still_locked_is_a_503_too(int code)
    {
        var (status, retryAfter, _) = await HandleAsync(new Microsoft.Data.Sqlite.SqliteException("database is locked", code));

        Assert.Equal(503, status);
        Assert.Equal(ApiExceptionHandler.RetryAfterSeconds, retryAfter);
    }

    [Fact]
    public async Task A_database_error_that_retrying_will_not_fix_stays_a_500()
    {
        var (status, retryAfter, body) = await HandleAsync(new TestDbException(transient: false));
        Assert.Equal(500, (await HandleAsync(new Microsoft.Data.Sqlite.SqliteException("no such table: links", 1))).Status);

        Assert.Equal(500, status);
        Assert.Null(retryAfter);
        Assert.Equal("Internal error", (string?)body["title"]);
    }

    private static async Task<(int Status, string? RetryAfter, JsonNode Body)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        var body = new MemoryStream();
        context.Response.Body = body;
        var handler = new ApiExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ApiExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        var retryAfter = context.Response.Headers.RetryAfter.ToString();
        return (context.Response.StatusCode, retryAfter.Length == 0 ? null : retryAfter, JsonNode.Parse(body.ToArray())!);
    }

    private sealed class TestDbException(bool transient) : DbException("the server closed the connection")
    {
        public override bool IsTransient => transient;
    }
}
