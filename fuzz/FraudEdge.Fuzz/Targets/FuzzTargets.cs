namespace FraudEdge.Fuzz.Targets;

/// <summary>One fuzz target: consumes arbitrary bytes, throws only on a bug.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The targets by the name given on the command line and used as corpus/crash folder names.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } =
    [
        EventTarget.Name, SnapshotTarget.Name, SnapshotPayloadTarget.Name,
        ProtocolFrameTarget.Name, ProtocolScoreRequestTarget.Name, ProtocolOutcomeNoticeTarget.Name,
        ProtocolScoreResponseTarget.Name, ProtocolStatusResponseTarget.Name, ProtocolErrorResponseTarget.Name,
    ];

    public static bool TryGet(string name, out FuzzTarget target)
    {
        target = name switch
        {
            EventTarget.Name => EventTarget.Run,
            SnapshotTarget.Name => SnapshotTarget.Run,
            SnapshotPayloadTarget.Name => SnapshotPayloadTarget.Run,
            ProtocolFrameTarget.Name => ProtocolFrameTarget.Run,
            ProtocolScoreRequestTarget.Name => ProtocolScoreRequestTarget.Run,
            ProtocolOutcomeNoticeTarget.Name => ProtocolOutcomeNoticeTarget.Run,
            ProtocolScoreResponseTarget.Name => ProtocolScoreResponseTarget.Run,
            ProtocolStatusResponseTarget.Name => ProtocolStatusResponseTarget.Run,
            ProtocolErrorResponseTarget.Name => ProtocolErrorResponseTarget.Run,
            _ => null!,
        };
        return target is not null;
    }

    public static FuzzTarget Get(string name) =>
        TryGet(name, out FuzzTarget target) ? target : throw new ArgumentException($"unknown fuzz target '{name}' (have: {string.Join(", ", Names)})", nameof(name));
}
