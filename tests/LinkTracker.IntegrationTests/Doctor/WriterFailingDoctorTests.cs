using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Common;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Doctor;

/// <summary>One tenant's database refuses writes: the doctor says "failing" (action) for that tenant, not "at its cap".</summary>
public sealed class WriterFailingDoctorTests : IAsyncDisposable
{
    private TestService? _service;

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_tenant_whose_writes_fail_is_named_as_failing_and_needs_action()
    {
        _service = await TestService.StartAsync(services =>
        {
            var real = services.Last(d => d.ServiceType == typeof(IClickStore));
            services.AddSingleton<IClickStore>(sp => new RefusingStore((IClickStore)(real.ImplementationInstance
                ?? real.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)), "broken"));
        }, "Jobs:DailyAt=23:59:59");
        foreach (var tenant in new[] { "broken", "fine" })
        {
            var key = await _service.AddTenantAsync(tenant);
            Assert.Equal(HttpStatusCode.Created, (await _service.Client(tenant, key).PostJsonAsync("/api/links", new { url = "https://example.com/", code = "go" })).StatusCode);
            Assert.Equal(3, await Clicker.ClickAsync(_service.Client(tenant), 3, _ => "/go"));
        }

        using var ops = _service.OpsClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonNode? problem;
        while ((problem = (await (await ops.GetAsync("/ops/doctor")).ReadJsonAsync())["problems"]!.AsArray().FirstOrDefault(p => (string?)p!["runbook"] == "docs/runbook.md#writer-failing")) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the doctor did not name the failing writer");
            await Task.Delay(100);
        }

        Assert.Equal(("broken", "action", "writer"), ((string?)problem["tenant"], (string?)problem["severity"], (string?)problem["check"]));
        Assert.Contains("3 clicks of broken wait in this node's journal", (string?)problem["evidence"], StringComparison.Ordinal);
        var pending = _service.Services.GetRequiredService<LinkTracker.Clicks.PendingClicks>();
        while (pending.For("fine") > 0) // the other tenant's clicks are stored meanwhile
        {
            Assert.True(DateTime.UtcNow < deadline, "the other tenant's clicks were held back by the failing one");
            await Task.Delay(25);
        }

        Assert.Equal(3, pending.For("broken"));
    }

    private sealed class RefusingStore(IClickStore inner, string refused) : IClickStore
    {
        public Task<ClickWriteResult> WriteAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken) =>
            tenant == refused ? throw new IOException("disk I/O error") : inner.WriteAsync(tenant, clicks, cancellationToken);

        public Task<Page<Click>> ListAsync(string tenant, ClickQuery query, CancellationToken cancellationToken) => inner.ListAsync(tenant, query, cancellationToken);
    }
}
