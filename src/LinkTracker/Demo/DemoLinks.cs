namespace LinkTracker.Demo;

/// <summary>The demo's 30 links over three campaigns and a few stand-alone links, the same on every run.</summary>
public static class DemoLinks
{
    public static IReadOnlyList<DemoLink> All { get; } = Create();

    private static List<DemoLink> Create()
    {
        var links = new List<DemoLink>();

        // Onboarding emails: steady, every day of the month.
        string[] onboarding = ["welcome", "getting-started", "invite-team", "first-report", "mobile-app", "tips-week-1", "tips-week-2", "feedback"];
        for (var i = 0; i < onboarding.Length; i++)
        {
            links.Add(new($"onb-{onboarding[i]}", $"https://app.example.com/onboarding/{onboarding[i]}?utm_source=email&utm_campaign=onboarding",
                "onboarding", ["email", "lifecycle"], 0, 1.6 / (i + 1)));
        }

        // A spring sale newsletter sent on day 3, with a reminder on day 10.
        string[] sale = ["hero-banner", "shoes", "jackets", "bags", "accessories", "kids", "last-chance", "store-finder", "gift-cards", "unsubscribe"];
        for (var i = 0; i < sale.Length; i++)
        {
            links.Add(new($"sale-{sale[i]}", $"https://shop.example.com/spring/{sale[i]}?utm_source=newsletter&utm_campaign=spring-sale",
                "spring-sale", i % 3 == 0 ? ["newsletter", "sale", "featured"] : ["newsletter", "sale"], 3, 2.2 / (i + 1)));
        }

        // A product launch on day 14: social posts and a press release.
        string[] launch = ["announcement", "video", "pricing", "docs", "webinar", "linkedin-post", "x-post", "press-release"];
        for (var i = 0; i < launch.Length; i++)
        {
            links.Add(new($"launch-{launch[i]}", $"https://www.example.com/launch/{launch[i]}?utm_campaign=product-launch",
                "product-launch", i >= 5 ? ["social", "launch"] : ["launch"], 14, 2.8 / (i + 1)));
        }

        links.Add(new("careers", "https://jobs.example.com/", null, ["website"], 0, 0.3));
        links.Add(new("status", "https://status.example.com/", null, [], 0, 0.15));
        links.Add(new("blog-q4-roadmap", "https://blog.example.com/2026/q4-roadmap", null, ["blog"], 7, 0.5));
        links.Add(new("partner-portal", "https://partners.example.com/login", null, ["partners"], 0, 0.2));
        return links;
    }
}
