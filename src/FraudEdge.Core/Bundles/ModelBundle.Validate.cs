namespace FraudEdge.Core.Bundles;

/// <summary>Checks on the (already authenticated) manifest's values.</summary>
public sealed partial class ModelBundle
{
    private static void Validate(BundleSource source, BundleManifest m, string signerId)
    {
        string where = $"{BundleContract.ManifestFile} in {source.Description}";
        if (m.Format != BundleContract.Format)
            throw new BundleException(BundleErrorCode.UnsupportedFormat, $"{where} has format '{m.Format}'; this engine reads '{BundleContract.Format}'");
        if (!string.Equals(m.SigningKeyId, signerId, StringComparison.OrdinalIgnoreCase))
            throw new BundleException(BundleErrorCode.ManifestInvalid, $"{where}: signing_key_id '{m.SigningKeyId}' does not name the key that signed it ({signerId})");
        Require(!string.IsNullOrWhiteSpace(m.Name), where, "name", "is empty");
        Require(!string.IsNullOrWhiteSpace(m.Version), where, "version", "is empty");

        // The model only means something on exactly the token ids it was trained on.
        if (m.Tokenizer != BundleContract.TokenizerVersion)
            throw new BundleException(BundleErrorCode.TokenizerMismatch, $"{where}: the model was trained for tokenizer '{m.Tokenizer}'; this engine runs '{BundleContract.TokenizerVersion}'");
        if (m.SequenceLength != BundleContract.SequenceLength)
            throw new BundleException(BundleErrorCode.ContractMismatch, $"{where}: seq_len is {m.SequenceLength}; the tokenizer writes {BundleContract.SequenceLength}");
        if (m.InputName != BundleContract.InputName || m.OutputName != BundleContract.OutputName)
            throw new BundleException(BundleErrorCode.ContractMismatch, $"{where}: input/output are '{m.InputName}'/'{m.OutputName}'; the contract is '{BundleContract.InputName}'/'{BundleContract.OutputName}'");
        Require(m.VocabularySize is > 0 and <= BundleContract.MaxVocabularySize, where, "vocab_size", $"must be 1..{BundleContract.MaxVocabularySize}");
        if (m.VocabularySize < BundleContract.TokenizerVocabularySize)
            throw new BundleException(BundleErrorCode.ContractMismatch, $"{where}: vocab_size {m.VocabularySize} does not cover the {BundleContract.TokenizerVocabularySize} token ids {BundleContract.TokenizerVersion} emits");

        Require(m.Calibration.Method == PlattCalibration.PlattMethod, where, "calibration.method", $"must be '{PlattCalibration.PlattMethod}'");
        Require(double.IsFinite(m.Calibration.A) && double.IsFinite(m.Calibration.B), where, "calibration", "a and b must be finite numbers");
        ManifestThresholds t = m.Thresholds;
        Require(t.Review is > 0 and < 1, where, "thresholds.review", "must be a probability in (0, 1)");
        Require(t.Deny is > 0 and < 1, where, "thresholds.deny", "must be a probability in (0, 1)");
        Require(t.Review < t.Deny, where, "thresholds.review", "must be below thresholds.deny");

        Require(m.Files.Count is > 0 and <= BundleContract.MaxListedFiles, where, "files", $"must list 1..{BundleContract.MaxListedFiles} files");
        Require(m.Files.ContainsKey(BundleContract.ModelFile), where, "files", $"must list {BundleContract.ModelFile}");
        Require(m.Files.ContainsKey(BundleContract.ParityFile), where, "files", $"must list {BundleContract.ParityFile}");
        foreach (KeyValuePair<string, string> file in m.Files)
        {
            Require(IsPlainFileName(file.Key), where, "files", "names must be plain file names inside the bundle folder");
            Require(IsSha256Hex(file.Value), where, $"files.{file.Key}", "must be a SHA-256 in hex");
        }
    }

    /// <summary>A signed manifest still must not steer reads outside its folder ("../", "/etc/...").</summary>
    private static bool IsPlainFileName(string name)
    {
        if (name.Length is 0 or > 64 || name[0] == '.') return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return false;
        }
        return true;
    }

    private static bool IsSha256Hex(string value)
    {
        if (value is null || value.Length != 64) return false;
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }

    private static void Require(bool condition, string where, string field, string message)
    {
        if (!condition) throw new BundleException(BundleErrorCode.ManifestInvalid, $"{where}: {field} {message}");
    }
}
