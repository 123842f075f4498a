using System.Globalization;
using System.Net;
using System.Text;

namespace FraudEdge.Cli.Audit;

/// <summary>Hand-written inline SVG charts for the report: no packages, no scripts, no external references.</summary>
internal static class AuditReportSvg
{
    public sealed record Series(string Name, string Color);

    private const int Width = 760, Height = 260, Left = 56, Right = 16, Top = 16, Bottom = 56;

    /// <summary>Stacked bars: one bar per category, one stacked segment per series (values[category][series]).</summary>
    public static string StackedBars(string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, IReadOnlyList<long[]> values)
    {
        var inv = CultureInfo.InvariantCulture;
        long max = 1;
        foreach (long[] v in values) max = Math.Max(max, v.Sum());
        var sb = new StringBuilder();
        Open(sb, title);
        Axes(sb, max);
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        int n = Math.Max(1, categories.Count);
        double slot = (double)plotW / n, bar = Math.Max(1, slot * 0.7);
        int labelEvery = Math.Max(1, (int)Math.Ceiling(n / 12.0));
        for (int i = 0; i < categories.Count; i++)
        {
            double x = Left + i * slot + (slot - bar) / 2, y = Top + plotH;
            for (int s = 0; s < series.Count; s++)
            {
                long v = values[i][s];
                if (v == 0) continue;
                double h = (double)v / max * plotH;
                y -= h;
                sb.Append(inv, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{bar:F1}\" height=\"{h:F1}\" fill=\"{series[s].Color}\">")
                  .Append(inv, $"<title>{E(categories[i])} {E(series[s].Name)}: {v}</title></rect>");
            }
            if (i % labelEvery == 0)
                sb.Append(inv, $"<text x=\"{x + bar / 2:F1}\" y=\"{Top + plotH + 16}\" font-size=\"11\" text-anchor=\"middle\">{E(categories[i])}</text>");
        }
        // Legend.
        double lx = Left;
        foreach (Series s in series)
        {
            sb.Append(inv, $"<rect x=\"{lx:F0}\" y=\"{Height - 20}\" width=\"12\" height=\"12\" fill=\"{s.Color}\"/>")
              .Append(inv, $"<text x=\"{lx + 16:F0}\" y=\"{Height - 10}\" font-size=\"12\">{E(s.Name)}</text>");
            lx += 24 + 8 * s.Name.Length;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Plain bars, one per category.</summary>
    public static string Bars(string title, IReadOnlyList<string> categories, IReadOnlyList<long> values, string color)
    {
        var inv = CultureInfo.InvariantCulture;
        long max = Math.Max(1, values.Count > 0 ? values.Max() : 1);
        var sb = new StringBuilder();
        Open(sb, title);
        Axes(sb, max);
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        int n = Math.Max(1, categories.Count);
        double slot = (double)plotW / n, bar = Math.Max(1, slot * 0.8);
        for (int i = 0; i < categories.Count; i++)
        {
            double x = Left + i * slot + (slot - bar) / 2, h = (double)values[i] / max * plotH;
            sb.Append(inv, $"<rect x=\"{x:F1}\" y=\"{Top + plotH - h:F1}\" width=\"{bar:F1}\" height=\"{h:F1}\" fill=\"{color}\">")
              .Append(inv, $"<title>{E(categories[i])}: {values[i]}</title></rect>")
              .Append(inv, $"<text x=\"{x + bar / 2:F1}\" y=\"{Top + plotH + 16}\" font-size=\"11\" text-anchor=\"middle\">{E(categories[i])}</text>");
        }
        sb.Append(inv, $"<text x=\"{Left + plotW / 2}\" y=\"{Height - 12}\" font-size=\"12\" text-anchor=\"middle\">risk score</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static void Open(StringBuilder sb, string title) =>
        sb.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\"><title>{E(title)}</title>");

    private static void Axes(StringBuilder sb, long max)
    {
        var inv = CultureInfo.InvariantCulture;
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        for (int k = 0; k <= 4; k++)
        {
            double y = Top + plotH - k * plotH / 4.0;
            long value = (long)Math.Round(max * k / 4.0);
            sb.Append(inv, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotW}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>")
              .Append(inv, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{value}</text>");
        }
        sb.Append(inv, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#555\"/>")
          .Append(inv, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Left + plotW}\" y2=\"{Top + plotH}\" stroke=\"#555\"/>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
