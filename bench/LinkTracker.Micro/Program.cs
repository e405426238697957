using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace LinkTracker.Micro;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher: --filter '*', --list flat, --job short, ...</summary>
    /// <remarks>Reports go to bench/LinkTracker.Micro/BenchmarkDotNet.Artifacts (git-ignored), not the working folder.</remarks>
    public static void Main(string[] args)
    {
        var project = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));
        var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(project, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
