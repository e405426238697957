using System.Net;

namespace LinkTracker.IntegrationTests.Infrastructure;

public static class Clicker
{
    /// <summary>Sends <paramref name="count"/> redirects, <paramref name="concurrency"/> at a time; returns how many got their 302.</summary>
    public static async Task<int> ClickAsync(HttpClient client, int count, Func<int, string> path, int concurrency = 32)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var redirected = 0;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if ((await client.GetAsync(path(i))).StatusCode == HttpStatusCode.Found)
                {
                    Interlocked.Increment(ref redirected);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return redirected;
    }
}
