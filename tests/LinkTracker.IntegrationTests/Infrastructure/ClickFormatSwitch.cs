namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>Test classes that set the process-wide click format write version run one at a time, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClickFormatSwitch
{
    public const string Name = "Click format switch";
}
