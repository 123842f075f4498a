namespace FraudEdge.Core.Policy;

/// <summary>
/// Calibrated probability → verdict and a 1–99 risk score. Thresholds come from the model manifest
/// (chosen for target review/deny rates at training time) unless the hardware profile overrides them.
/// </summary>
public sealed class DecisionPolicy
{
    public DecisionPolicy(double calibrationA, double calibrationB, double reviewThreshold, double denyThreshold)
    {
        if (!(reviewThreshold > 0 && reviewThreshold < denyThreshold && denyThreshold < 1))
            throw new ArgumentException("thresholds must satisfy 0 < review < deny < 1");
        CalibrationA = calibrationA;
        CalibrationB = calibrationB;
        ReviewThreshold = reviewThreshold;
        DenyThreshold = denyThreshold;
    }

    public double CalibrationA { get; }
    public double CalibrationB { get; }
    public double ReviewThreshold { get; }
    public double DenyThreshold { get; }

    /// <summary>Platt scaling: p = σ(a·logit + b).</summary>
    public double Calibrate(float logit) => 1.0 / (1.0 + Math.Exp(-(CalibrationA * logit + CalibrationB)));

    public Verdict VerdictFor(double probability) =>
        probability >= DenyThreshold ? Verdict.Deny : probability >= ReviewThreshold ? Verdict.Review : Verdict.Allow;

    /// <summary>0→1, review→50, deny→80, 1→99, linear in between, so a score means the same under any model.</summary>
    public byte RiskScore(double p)
    {
        double score = p < ReviewThreshold ? 1 + 49 * (p / ReviewThreshold)
            : p < DenyThreshold ? 50 + 30 * ((p - ReviewThreshold) / (DenyThreshold - ReviewThreshold))
            : 80 + 19 * ((p - DenyThreshold) / (1 - DenyThreshold));
        return (byte)Math.Clamp((int)Math.Floor(score), 1, 99);
    }
}
