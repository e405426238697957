namespace LinkTracker.Bench.Load;

/// <summary>Zipf-distributed ranks 0..n-1 (rank 0 most popular, weight 1/(k+1)^s), sampled from the cumulative table.</summary>
public sealed class Zipf
{
    private readonly double[] _cumulative;

    public Zipf(int n, double s)
    {
        _cumulative = new double[n];
        double sum = 0;
        for (var k = 0; k < n; k++)
        {
            sum += 1 / Math.Pow(k + 1, s);
            _cumulative[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            _cumulative[k] /= sum;
        }
    }

    public int Sample(Random random)
    {
        var i = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
    }

    /// <summary>Share of all requests that go to the <paramref name="top"/> most popular ranks.</summary>
    public double ShareOfTop(int top) => top <= 0 ? 0 : _cumulative[Math.Min(top, _cumulative.Length) - 1];
}
