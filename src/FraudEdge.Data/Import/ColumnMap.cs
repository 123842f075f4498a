using System.Text;

namespace FraudEdge.Data.Import;

/// <summary>
/// Which CSV column feeds which field. By default a field reads the column named like it (snake_case,
/// case-insensitive); <c>--map field=column,...</c> overrides that.
/// </summary>
public sealed class ColumnMap
{
    private readonly Dictionary<ImportField, string> _overrides = [];

    public static IReadOnlyList<ImportField> Required { get; } =
        [ImportField.Timestamp, ImportField.CardId, ImportField.TerminalId, ImportField.Amount, ImportField.Fraud];

    public static string FieldName(ImportField field)
    {
        string name = field.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    public static bool TryParseField(string name, out ImportField field)
    {
        foreach (var f in Enum.GetValues<ImportField>())
        {
            if (string.Equals(FieldName(f), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                field = f;
                return true;
            }
        }
        field = default;
        return false;
    }

    /// <summary>Parses "field=column,field=column". Throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static ColumnMap Parse(string? spec)
    {
        var map = new ColumnMap();
        if (string.IsNullOrWhiteSpace(spec)) return map;
        foreach (string entry in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == entry.Length - 1) throw new FormatException($"column mapping '{entry}' is not field=column");
            string fieldName = entry[..eq];
            if (!TryParseField(fieldName, out var field))
                throw new FormatException($"unknown field '{fieldName}' in column mapping (fields: {string.Join(", ", Enum.GetValues<ImportField>().Select(FieldName))})");
            map._overrides[field] = entry[(eq + 1)..].Trim();
        }
        return map;
    }

    public void Set(ImportField field, string column) => _overrides[field] = column;

    public string ColumnFor(ImportField field) => _overrides.TryGetValue(field, out var column) ? column : FieldName(field);

    /// <summary>Resolves each field to a column index of the header (-1 when absent).</summary>
    public int[] Resolve(IReadOnlyList<string> header)
    {
        var fields = Enum.GetValues<ImportField>();
        var indices = new int[fields.Length];
        foreach (var field in fields)
        {
            string column = ColumnFor(field);
            indices[(int)field] = -1;
            for (int i = 0; i < header.Count; i++)
            {
                if (string.Equals(header[i].Trim(), column, StringComparison.OrdinalIgnoreCase))
                {
                    indices[(int)field] = i;
                    break;
                }
            }
        }
        return indices;
    }
}
