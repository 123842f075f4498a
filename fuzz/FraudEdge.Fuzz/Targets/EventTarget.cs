using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>event</c>: bytes → a stream of events and outcome notices (<see cref="EventLayout"/>) → the same
/// steps <see cref="Core.FraudEngine.Evaluate"/> takes, minus ONNX: validate against the terminal's last
/// timestamp, describe the history, tokenize, derive reason codes, run the rules fallback, observe.
/// A stream rather than one event so that inputs reach history-dependent code (rings, burst counters,
/// eviction, ATC deltas, refund matching), which a single event on an empty history never touches.
///
/// Input: records until the input ends or <see cref="MaxRecords"/>; each is a tag byte then, when the tag
/// is even, an event (125 bytes), when odd, an outcome notice (51 bytes). A truncated last record is ignored.
///
/// Crashes (anything that escapes, plus these oracle checks):
/// - a token id outside [0, <see cref="Tokenizer.VocabularySize"/>), or token 0 not [CLS];
/// - tokenizing the same event twice (describing the history twice) gives different ids: Describe must
///   not change state and the tokenizer must be deterministic;
/// - an event valid against the previous timestamp is invalid without one (the sequence check may only
///   add refusals), or a refusal without a field or message.
/// </summary>
public static class EventTarget
{
    public const string Name = "event";
    public const int MaxRecords = 64;

    /// <summary>Small on purpose: two terminals and 64 cards make every eviction path reachable in a few records.</summary>
    public static HistoryLimits Limits => new()
    {
        MaxTerminals = 2, RecentEventsPerTerminal = 8, CardCapacity = 64, BinCapacity = 16, OperatorCapacity = 16,
    };

    private static readonly RuleLimits Rules = new() { FloorLimitMinor = 5000, CardVelocity10Min = 3, DistinctCards10Min = 6 };

    public static void Run(ReadOnlySpan<byte> input)
    {
        var history = new TerminalHistory(Limits);
        var rules = new RulesFallback(Rules);
        Span<int> tokens = stackalloc int[Tokenizer.SequenceLength];
        Span<int> again = stackalloc int[Tokenizer.SequenceLength];
        int vocabulary = Tokenizer.VocabularySize;

        for (int record = 0; record < MaxRecords && !input.IsEmpty; record++)
        {
            byte tag = input[0];
            input = input[1..];
            if ((tag & 1) == 0)
            {
                if (!EventLayout.TryReadEvent(ref input, out TransactionEvent evt)) return;
                Process(history, rules, evt, tokens, again, vocabulary);
            }
            else
            {
                if (!EventLayout.TryReadNotice(ref input, out OutcomeNotice notice)) return;
                ValidationResult v = EventValidator.Validate(notice);
                CheckRefusal(v);
                if (v.IsValid) history.Record(notice);
            }
        }
    }

    private static void Process(TerminalHistory history, RulesFallback rules, in TransactionEvent evt, Span<int> tokens, Span<int> again, int vocabulary)
    {
        long previous = history.LastTimestamp(evt.TerminalId);
        ValidationResult v = EventValidator.Validate(evt, previous);
        CheckRefusal(v);
        if (v.IsValid && !EventValidator.Validate(evt).IsValid)
            throw new FuzzOracleException("an event valid after its predecessor is invalid on its own");
        if (!v.IsValid) return;

        history.Describe(evt, out EventContext context);
        Tokenizer.Tokenize(evt, context, tokens);
        CheckTokens(tokens, vocabulary);

        history.Describe(evt, out EventContext second);
        Tokenizer.Tokenize(evt, second, again);
        if (!tokens.SequenceEqual(again))
            throw new FuzzOracleException("Describe + Tokenize is not deterministic for the same history");

        _ = ReasonCodes.FromTokens(tokens);
        _ = rules.Decide(evt, context, out _);
        history.Observe(evt);
    }

    internal static void CheckTokens(ReadOnlySpan<int> tokens, int vocabulary)
    {
        if (tokens[0] != Vocabulary.Cls) throw new FuzzOracleException($"token 0 is {tokens[0]}, not [CLS]");
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabulary)
                throw new FuzzOracleException($"token {i} = {tokens[i]} is outside [0, {vocabulary})");
        }
    }

    private static void CheckRefusal(in ValidationResult v)
    {
        if (v.IsValid) return;
        if (!Enum.IsDefined(v.Code) || string.IsNullOrEmpty(v.Field) || string.IsNullOrEmpty(v.Message))
            throw new FuzzOracleException($"refusal without a defined code, field or message: {(int)v.Code}");
    }
}
