using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class LinkCodesTests
{
    [Fact]
    public void Generated_codes_are_base62_of_the_generated_length()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => LinkCodes.Generate()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9A-Za-z]{7}$", c));
        Assert.True(codes.Distinct().Count() > 990);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Spring_Sale-2026")]
    public void Accepts_custom_codes(string code) => Assert.Null(LinkCodes.Validate(code));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/code")]
    [InlineData("dot.code")]
    [InlineData("ünïcode")]
    [InlineData("api")]
    [InlineData("HEALTH")]
    public void Refuses_bad_or_reserved_codes(string code) => Assert.NotNull(LinkCodes.Validate(code));

    [Fact]
    public void Refuses_codes_over_64_characters()
    {
        Assert.Null(LinkCodes.Validate(new string('a', 64)));
        Assert.NotNull(LinkCodes.Validate(new string('a', 65)));
    }
}
