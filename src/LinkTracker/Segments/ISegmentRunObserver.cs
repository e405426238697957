namespace LinkTracker.Segments;

/// <summary>Told of every finished run (register any number as singletons); must be quick and must not throw.</summary>
public interface ISegmentRunObserver
{
    void RunFinished(SegmentRunTiming timing);
}
