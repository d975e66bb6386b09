using System.Globalization;
using System.Text;

namespace Latent.Viz.Svg;

/// <summary>Escaping and compact number formatting for SVG/XML text.</summary>
internal static class SvgText
{
    /// <summary>Escapes &amp; &lt; &gt; " ' so the text is safe in element content and in attributes.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        foreach (char ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                // Characters XML 1.0 forbids (controls other than tab/newline) would make the document ill-formed.
                case < ' ' when ch is not ('\t' or '\n' or '\r'): sb.Append('\uFFFD'); break;
                case '\uFFFE' or '\uFFFF': sb.Append('\uFFFD'); break;
                default: sb.Append(ch); break; // lone surrogates are repaired below
            }
        }
        return RepairSurrogates(sb.ToString());
    }

    private static string RepairSurrogates(string s)
    {
        bool bad = false;
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) { bad = true; break; }
        }
        if (!bad) return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(s[i]).Append(s[i + 1]); i++; }
            else sb.Append(char.IsSurrogate(s[i]) ? '\uFFFD' : s[i]);
        }
        return sb.ToString();
    }

    /// <summary>A coordinate rounded to 0.1 with no trailing zeros ("12.3", "40", "-0.5").</summary>
    public static string N(double v)
    {
        double r = Math.Round(v, 1);
        if (r == 0) r = 0; // no "-0"
        return r.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
