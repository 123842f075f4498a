namespace FraudEdge.Core.Policy;

/// <summary>Who decided. Anything but <see cref="Model"/> is the rules-only fallback, and says why.</summary>
public enum DecisionSource : byte
{
    None = 0,
    Model = 1,
    /// <summary>No model loaded, or the bundle was refused (hash, signature, tokenizer version).</summary>
    RulesModelUnavailable = 2,
    /// <summary>The model missed the profile's per-decision deadline.</summary>
    RulesDeadlineExceeded = 3,
    /// <summary>ONNX Runtime failed on this input.</summary>
    RulesModelError = 4,
}
