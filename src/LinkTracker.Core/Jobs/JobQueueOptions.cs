using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Core.Jobs;

/// <summary>Retry rules shared by every job queue adapter, so jobs behave the same on every engine.</summary>
public sealed record JobQueueOptions : IValidatableObject
{
    public const string Section = "Jobs";

    /// <summary>Deliveries of one job, the first included, before it becomes a dead letter.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait after the first failed attempt; it doubles after each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Up to this fraction of each wait is taken off at random, so jobs that failed together do not retry together.</summary>
    [Range(0.0, 0.4)]
    public double JitterFraction { get; init; } = 0.2;

    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/> (1-based): BaseDelay × 2^(attempt−1), at most
    /// MaxDelay, less up to JitterFraction of it. Jitter stays below half, so until MaxDelay each wait is longer than the last.
    /// </summary>
    /// <param name="attempt">The number of the attempt that failed, from 1.</param>
    /// <param name="random">A number in [0, 1).</param>
    public TimeSpan RetryDelay(int attempt, double random)
    {
        var nominal = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 40)));
        return TimeSpan.FromMilliseconds(nominal * (1 - (JitterFraction * random)));
    }

    /// <summary>Throws when the options are out of range, for adapters built without the options pipeline.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDelay < BaseDelay)
        {
            yield return new ValidationResult($"{nameof(MaxDelay)} ({MaxDelay}) must not be shorter than {nameof(BaseDelay)} ({BaseDelay}).", [nameof(MaxDelay)]);
        }
    }
}
