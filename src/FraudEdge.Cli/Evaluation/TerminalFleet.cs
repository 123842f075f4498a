using FraudEdge.Core;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Evaluation;

/// <summary>
/// One <see cref="FraudEngine"/> per terminal, as deployed: each terminal runs FraudEdge on the device and
/// remembers only what it saw itself. Replaying a town's log through a fleet (not one shared engine) keeps
/// the evaluation honest — no terminal learns from another terminal's traffic — and matches how
/// `fraudedge dataset` builds training data.
/// </summary>
internal sealed class TerminalFleet : IDisposable
{
    private readonly Dictionary<TerminalId, FraudEngine> _engines = [];
    private readonly HardwareProfile _profile;
    private readonly string? _modelDirectory;
    private readonly bool _rulesOnly;
    private readonly TrustedKeys? _trustedKeys;

    public TerminalFleet(HardwareProfile profile, string? modelDirectory, bool rulesOnly, TrustedKeys? trustedKeys)
    {
        _profile = profile;
        _modelDirectory = modelDirectory;
        _rulesOnly = rulesOnly;
        _trustedKeys = trustedKeys;
    }

    public int Count => _engines.Count;

    /// <summary>The first engine's model (all engines load the same bundle).</summary>
    public ModelBundle? Model { get; private set; }

    public BundleException? Refusal { get; private set; }

    public Decision Evaluate(in TransactionEvent evt) => EngineFor(evt.TerminalId).Evaluate(evt);

    public void Record(in OutcomeNotice notice)
    {
        if (_engines.TryGetValue(notice.TerminalId, out var engine)) engine.Record(notice);
    }

    private FraudEngine EngineFor(TerminalId terminal)
    {
        if (_engines.TryGetValue(terminal, out var engine)) return engine;
        engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = _profile, ModelDirectory = _modelDirectory, RulesOnly = _rulesOnly, TrustedKeys = _trustedKeys,
        });
        Model ??= engine.Model;
        Refusal ??= engine.ModelRefusal;
        _engines.Add(terminal, engine);
        return engine;
    }

    public void Dispose()
    {
        foreach (var engine in _engines.Values) engine.Dispose();
        _engines.Clear();
    }
}
