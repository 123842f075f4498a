using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz;

/// <summary>
/// Writes fuzz/corpus/&lt;target&gt;/ from real valid events and a real snapshot
/// (<c>dotnet run --project fuzz/FraudEdge.Fuzz -- make-corpus fuzz/corpus</c>). The files are committed;
/// regenerate only when the layout or the snapshot format changes.
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
        return files;
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
