using System.ComponentModel.DataAnnotations;
using LinkTracker.Core.Segments;
using LinkTracker.Segments;

namespace LinkTracker.Tests.Segments;

public sealed class SegmentsOptionsTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(64, true)]
    [InlineData(2048, true)]
    [InlineData(2049, false)]
    public void Work_memory_is_validated_to_its_range(int megabytes, bool valid)
    {
        var options = new SegmentsOptions { WorkMemoryMegabytes = megabytes };
        var errors = new List<ValidationResult>();

        var ok = Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);

        Assert.Equal(valid, ok);
        Assert.Equal(valid ? [] : [nameof(SegmentsOptions.WorkMemoryMegabytes)], errors.SelectMany(e => e.MemberNames));
    }

    [Fact]
    public void A_run_is_given_both_limits_with_64_megabytes_by_default()
    {
        var options = new SegmentsOptions { StatementTimeout = TimeSpan.FromSeconds(5) };

        Assert.Equal(new SegmentRunLimits(TimeSpan.FromSeconds(5), 64), options.RunLimits);
    }
}
