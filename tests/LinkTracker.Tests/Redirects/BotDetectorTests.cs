using LinkTracker.Redirects;

namespace LinkTracker.Tests.Redirects;

public class BotDetectorTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("facebookexternalhit/1.1")]
    [InlineData("Slackbot-LinkExpanding 1.0")]
    [InlineData("python-requests/2.31")]
    [InlineData("Mozilla/5.0 HeadlessChrome/120.0")]
    [InlineData("")]
    [InlineData("   ")]
    public void Flags_bots_scanners_and_missing_agents(string userAgent) => Assert.True(BotDetector.IsBot(userAgent));

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148")]
    [InlineData("curl/8.5.0")]
    public void Lets_browsers_through(string userAgent) => Assert.False(BotDetector.IsBot(userAgent));
}
