using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz;

/// <summary>
/// Writes fuzz/corpus/&lt;target&gt;/ from real valid events, a real snapshot and real protocol frames
/// (<c>dotnet run --project fuzz/FraudEdge.Fuzz -- make-corpus fuzz/corpus</c>). The files are committed;
/// regenerate only when the layout, the snapshot format or the wire protocol changes.
/// </summary>
public static class SeedCorpus
{
    public static IReadOnlyList<(string Target, string File, byte[] Bytes)> Build()
    {
        var files = new List<(string, string, byte[])>
        {
            (EventTarget.Name, "single-purchase.bin", SeedEvents.SinglePurchase()),
            (EventTarget.Name, "grocery-morning.bin", SeedEvents.GroceryMorning()),
            (EventTarget.Name, "card-testing-burst.bin", SeedEvents.CardTestingBurst()),
            (EventTarget.Name, "fallback-and-atc.bin", SeedEvents.FallbackAndAtc()),
            (EventTarget.Name, "three-lanes.bin", SeedEvents.ThreeLanes()),
            (EventTarget.Name, "edge-values.bin", SeedEvents.EdgeValues()),
        };

        byte[] populated = PopulatedSnapshot();
        files.Add((SnapshotTarget.Name, "empty.snap", SnapshotTarget.EmptySnapshot.ToArray()));
        files.Add((SnapshotTarget.Name, "populated.snap", populated));
        files.Add((SnapshotPayloadTarget.Name, "populated.payload", SnapshotTarget.PayloadOf(populated).ToArray()));
        files.Add((SnapshotPayloadTarget.Name, "zeros.payload", new byte[64]));
        AddProtocolSeeds(files);
        return files;
    }

    /// <summary>Protocol seeds: frames (one per file, and a whole conversation) and each message reader's payloads.</summary>
    private static void AddProtocolSeeds(List<(string, string, byte[])> files)
    {
        files.Add((ProtocolFrameTarget.Name, "ping.bin", ProtocolSeeds.Frame(1, new Protocol.Messages.Ping())));
        files.Add((ProtocolFrameTarget.Name, "score-request.bin", ProtocolSeeds.Frame(2, ProtocolSeeds.DocRequest)));
        files.Add((ProtocolFrameTarget.Name, "score-response.bin", ProtocolSeeds.Frame(2, ProtocolSeeds.DocResponse)));
        files.Add((ProtocolFrameTarget.Name, "error.bin", ProtocolSeeds.Frame(3, ProtocolSeeds.DocError)));
        files.Add((ProtocolFrameTarget.Name, "status-response.bin", ProtocolSeeds.Frame(5, ProtocolSeeds.WithModel)));
        files.Add((ProtocolFrameTarget.Name, "conversation.bin", ProtocolSeeds.Conversation()));
        files.Add((ProtocolScoreRequestTarget.Name, "doc-example.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.DocRequest)));
        files.Add((ProtocolScoreRequestTarget.Name, "all-optional-keys.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.FullRequest)));
        files.Add((ProtocolScoreRequestTarget.Name, "wide-encodings.msgpack", ProtocolSeeds.WideRequestPayload));
        files.Add((ProtocolOutcomeNoticeTarget.Name, "issuer-decline.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.IssuerDecline)));
        files.Add((ProtocolOutcomeNoticeTarget.Name, "chargeback.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.Chargeback)));
        files.Add((ProtocolScoreResponseTarget.Name, "doc-example.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.DocResponse)));
        files.Add((ProtocolScoreResponseTarget.Name, "rules-decided.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.RulesResponse)));
        files.Add((ProtocolStatusResponseTarget.Name, "with-model.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.WithModel)));
        files.Add((ProtocolStatusResponseTarget.Name, "no-model.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.NoModel)));
        files.Add((ProtocolErrorResponseTarget.Name, "doc-example.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.DocError)));
        files.Add((ProtocolErrorResponseTarget.Name, "server-busy.msgpack", ProtocolSeeds.Payload(ProtocolSeeds.Busy)));
    }

    /// <summary>A real snapshot: the seed streams replayed through a history (valid events only, as the engine does).</summary>
    public static byte[] PopulatedSnapshot()
    {
        var history = new TerminalHistory(SnapshotTarget.Limits);
        foreach (byte[] stream in new[] { SeedEvents.GroceryMorning(), SeedEvents.CardTestingBurst(), SeedEvents.FallbackAndAtc(), SeedEvents.ThreeLanes() })
        {
            ReadOnlySpan<byte> input = stream;
            while (!input.IsEmpty)
            {
                byte tag = input[0];
                input = input[1..];
                if ((tag & 1) == 0)
                {
                    if (!EventLayout.TryReadEvent(ref input, out TransactionEvent evt)) break;
                    if (!EventValidator.Validate(evt, history.LastTimestamp(evt.TerminalId)).IsValid) continue;
                    history.Describe(evt, out _);
                    history.Observe(evt);
                }
                else
                {
                    if (!EventLayout.TryReadNotice(ref input, out OutcomeNotice notice)) break;
                    if (EventValidator.Validate(notice).IsValid) history.Record(notice);
                }
            }
        }
        return SnapshotTarget.Serialize(history);
    }

    public static void Write(string directory)
    {
        foreach ((string target, string file, byte[] bytes) in Build())
        {
            string folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, file), bytes);
            Console.WriteLine($"{Path.Combine(folder, file)}  {bytes.Length} bytes");
        }
    }
}
