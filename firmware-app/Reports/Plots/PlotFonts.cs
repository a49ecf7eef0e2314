using ScottPlot;
using SkiaSharp;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>
/// The plot's font. SkiaSharp's Linux "NoDependencies" native library (the one ScottPlot brings) has no fontconfig: it
/// finds fonts by scanning the font folders itself, so the figure names DejaVu Sans (Debian's fonts-dejavu-core) by its
/// file when it is there — the same glyphs on every box — and falls back to whatever typeface Skia finds otherwise.
/// </summary>
internal static class PlotFonts
{
    /// <summary>The family the figure uses when DejaVu Sans is found.</summary>
    public const string Family = "DejaVu Sans";

    private static readonly string[] s_folders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/local/share/fonts",
    ];

    private static readonly Lock s_gate = new();
    private static bool? s_usable;

    /// <summary>Configures ScottPlot's default font once; false when no typeface with Latin glyphs exists.</summary>
    /// <returns>Whether text can be drawn.</returns>
    public static bool EnsureConfigured()
    {
        lock (s_gate)
        {
            s_usable ??= Configure();
            return s_usable.Value;
        }
    }

    private static bool Configure()
    {
        string? regular = Find("DejaVuSans.ttf");
        if (regular is not null)
        {
            Fonts.AddFontFile(Family, regular, bold: false, italic: false);
            if (Find("DejaVuSans-Bold.ttf") is string bold)
            {
                Fonts.AddFontFile(Family, bold, bold: true, italic: false);
            }
            else
            {
                Fonts.AddFontFile(Family, regular, bold: true, italic: false);
            }

            Fonts.Default = Family;
            Fonts.Sans = Family;
            return true;
        }

        using SKTypeface fallback = SKTypeface.Default;
        return fallback.ContainsGlyphs("LUFSdBHz0123");
    }

    private static string? Find(string fileName)
    {
        foreach (string folder in s_folders)
        {
            string path = Path.Combine(folder, fileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
