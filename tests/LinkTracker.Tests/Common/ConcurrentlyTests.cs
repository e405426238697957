using LinkTracker.Core.Common;

namespace LinkTracker.Tests.Common;

public sealed class ConcurrentlyTests
{
    [Fact]
    public async Task Both_results_come_back_in_order_from_work_that_runs_at_once()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        async Task<int> WorkAsync(int value)
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.SetResult();
            }

            await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); // neither finishes before the other began
            return value;
        }

        Assert.Equal((1, 2), await Concurrently.BothAsync(_ => WorkAsync(1), _ => WorkAsync(2), CancellationToken.None));
    }

    [Fact]
    public async Task The_first_failure_cancels_the_other_and_is_what_the_caller_sees()
    {
        var otherEnded = false;
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => Concurrently.BothAsync(
            async token =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), token);
                    return 1;
                }
                finally
                {
                    otherEnded = true;
                }
            },
            async _ =>
            {
                await Task.Yield();
                throw new TimeoutException("the second half ran out of time");
            },
            CancellationToken.None));

        Assert.Equal("the second half ran out of time", failure.Message);
        Assert.True(otherEnded); // nothing returned before the cancelled half had ended
    }
}
