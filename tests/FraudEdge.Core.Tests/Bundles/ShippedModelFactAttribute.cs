using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Tests.Bundles;

/// <summary>
/// A fact about the shipped bundle (models/fraudedge-slm, embedded in FraudEdge.Core at build time). It is
/// reported as skipped, visibly, in a tree where training/ has not produced the bundle yet.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ShippedModelFactAttribute : FactAttribute
{
    public ShippedModelFactAttribute()
    {
        if (!ModelBundle.HasEmbedded) Skip = "models/fraudedge-slm was not embedded at build time (run the training pipeline, then rebuild)";
    }
}
