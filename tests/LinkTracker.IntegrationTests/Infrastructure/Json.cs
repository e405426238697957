using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LinkTracker.IntegrationTests.Infrastructure;

public static class Json
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, string path, string body) =>
        client.PatchAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
}
