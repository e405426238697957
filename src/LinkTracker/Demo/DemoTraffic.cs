using System.Buffers.Binary;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Demo;

/// <summary>
/// Realistic clicks for the demo links over [start, end): a day-and-night rhythm, quieter weekends, campaign sends that
/// spike and decay, a few recipients who click again and again, bots and mail scanners, referrers. A seeded generator,
/// and ids made from it: the same start and end give the same clicks (with the same ids), so writing them again adds nothing.
/// </summary>
public static class DemoTraffic
{
    private const int Recipients = 600;

    // Relative clicks per hour of the day (UTC): quiet nights, a morning and an evening peak.
    private static readonly double[] Diurnal =
        [0.08, 0.05, 0.04, 0.04, 0.06, 0.12, 0.3, 0.6, 0.9, 1.0, 0.95, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.6, 0.7, 0.85, 0.8, 0.6, 0.35, 0.15];

    private static readonly string[] Browsers =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ];

    private static readonly string[] Bots =
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mimecast URL protection",
        "python-requests/2.32.3",
    ];

    private static readonly string[] Networks = ["192.0.2.0", "198.51.100.0", "203.0.113.0"];

    private static readonly string?[] EmailReferrers = [null, null, null, null, "https://mail.google.com/", "https://outlook.live.com/"];

    private static readonly string?[] WebReferrers =
        [null, "https://www.google.com/", "https://www.linkedin.com/", "https://t.co/", "https://news.ycombinator.com/", "https://www.bing.com/"];

    /// <summary>The clicks of <paramref name="tenant"/>'s demo links from <paramref name="start"/> (a whole hour) until <paramref name="end"/>.</summary>
    public static IEnumerable<Click> Generate(string tenant, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(20_260_301);
        var links = DemoLinks.All;
        for (var hour = start; hour < end; hour = hour.AddHours(1))
        {
            var day = (int)((hour - start).Ticks / TimeSpan.TicksPerDay);
            var weekday = hour.DayOfWeek switch { DayOfWeek.Saturday => 0.55, DayOfWeek.Sunday => 0.45, _ => 1.0 };
            var rhythm = Diurnal[hour.Hour] * weekday;
            foreach (var link in links)
            {
                if (day < link.FirstDay)
                {
                    continue;
                }

                var count = Poisson(random, 0.9 * link.Weight * rhythm * Burst(link, day));
                for (var i = 0; i < count; i++)
                {
                    var at = hour.AddMilliseconds(random.Next(3_600_000));
                    var click = Click(random, tenant, link, at);
                    if (at < end)
                    {
                        yield return click;
                    }
                }
            }
        }
    }

    /// <summary>A send makes a spike that decays over a few days; the sale has a reminder a week after.</summary>
    private static double Burst(DemoLink link, int day) => link.Campaign switch
    {
        "spring-sale" => 1 + (6 * Math.Exp(-(day - link.FirstDay) / 1.5)) + (day >= 10 ? 3 * Math.Exp(-(day - 10) / 1.2) : 0),
        "product-launch" => 1 + (8 * Math.Exp(-(day - link.FirstDay) / 2.0)),
        _ => 1,
    };

    private static Click Click(Random random, string tenant, DemoLink link, DateTimeOffset at)
    {
        var kind = random.NextDouble();
        var referrers = link.Tags.Contains("email") || link.Tags.Contains("newsletter") ? EmailReferrers : WebReferrers;
        var referrer = referrers[random.Next(referrers.Length)];
        var address = Networks[random.Next(Networks.Length)]; // as captured: truncated to the /24 (Capture:IPv4PrefixLength)
        var recipient = Recipient(random);
        string? userAgent;
        var flags = ClickFlags.None;
        if (kind < 0.07)
        {
            // Link previewers and mail scanners: non-human; a scanner opens the recipient's link before they do.
            userAgent = Bots[random.Next(Bots.Length)];
            flags = ClickFlags.Bot;
            recipient = userAgent.StartsWith("Mimecast", StringComparison.Ordinal) ? recipient : null;
            referrer = null;
        }
        else if (kind < 0.09)
        {
            userAgent = Browsers[random.Next(Browsers.Length)];
            flags = ClickFlags.Head;
        }
        else
        {
            userAgent = Browsers[random.Next(Browsers.Length)];
        }

        return new Click(NewId(random, at), tenant, link.Code, recipient, at, userAgent, referrer, address, flags);
    }

    /// <summary>85% of clicks name a recipient; a power law makes a few of them click again and again.</summary>
    private static string? Recipient(Random random)
    {
        if (random.NextDouble() < 0.15)
        {
            return null;
        }

        var index = (int)(Recipients * Math.Pow(random.NextDouble(), 2.5));
        return $"cust-{index:D4}";
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    /// <summary>A UUIDv7 (as ClickIds mints at the edge) whose random bits come from the seeded generator.</summary>
    private static Guid NewId(Random random, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], at.ToUnixTimeMilliseconds() << 16);
        random.NextBytes(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
