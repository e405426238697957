// A bare 302: no tenant, no lookup, no click. Started by the bench like linktracker, and measured the same way.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var location = builder.Configuration["Location"] ?? "https://example.com/";

var app = builder.Build();
app.MapGet("/health", () => "ok");
app.MapMethods("/{code}", [HttpMethods.Get, HttpMethods.Head], (RequestDelegate)(context =>
{
    var response = context.Response;
    response.StatusCode = StatusCodes.Status302Found;
    response.Headers.Location = location;
    response.Headers.CacheControl = "private, no-store";
    return Task.CompletedTask;
}));
app.Run();
