using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>Finds drawn text on a frame: the glyphs of the font, normal or inverted, at any position.</summary>
internal static class ScreenText
{
    /// <summary>True when <paramref name="text"/> is drawn somewhere on <paramref name="frame"/> (whole character cells match).</summary>
    public static bool Contains(MonoFrameBuffer frame, string text, MonoFont? font = null) => Find(frame, text, font).Y >= 0;

    /// <summary>Where <paramref name="text"/> is drawn (its top-left), or (−1, −1).</summary>
    public static (int X, int Y) Find(MonoFrameBuffer frame, string text, MonoFont? font = null)
    {
        font ??= MonoFont.Small;
        var probe = new MonoFrameBuffer();
        probe.DrawText(0, 0, text, font);
        int w = Math.Min(font.MeasureWidth(text), frame.Width), h = font.CellHeight;
        for (int y = 0; y + h <= frame.Height; y++)
        {
            for (int x = 0; x + w <= frame.Width; x++)
            {
                if (Matches(frame, probe, x, y, w, h, inverted: false) || Matches(frame, probe, x, y, w, h, inverted: true))
                {
                    return (x, y);
                }
            }
        }

        return (-1, -1);
    }

    private static bool Matches(MonoFrameBuffer frame, MonoFrameBuffer probe, int x, int y, int w, int h, bool inverted)
    {
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < w - 1; i++) // the last cell's trailing gap column may touch a neighbour
            {
                if (frame.GetPixel(x + i, y + j) != (probe.GetPixel(i, j) ^ inverted))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
