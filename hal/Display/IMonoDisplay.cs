namespace HardwareMaster.Hal.Display;

/// <summary>A 1-bit display that shows <see cref="MonoFrameBuffer"/>s.</summary>
public interface IMonoDisplay : IDisposable
{
    /// <summary>Visible width in pixels.</summary>
    int Width { get; }

    /// <summary>Visible height in pixels.</summary>
    int Height { get; }

    /// <summary>Makes the panel show <paramref name="frame"/>. Implementations send only what changed and do not allocate.</summary>
    /// <param name="frame">A framebuffer of <see cref="Width"/> × <see cref="Height"/>.</param>
    /// <exception cref="System.IO.IOException">The bus transfer failed; the next call repairs the screen.</exception>
    void Present(MonoFrameBuffer frame);
}

/// <summary>Mounting orientation of the panel.</summary>
public enum DisplayRotation
{
    /// <summary>Upright (segment remap on, COM scan remapped: the usual module orientation).</summary>
    None = 0,

    /// <summary>Upside down, done by the controller's scan direction (no per-frame cost).</summary>
    Rotate180 = 180,
}

/// <summary>Which controller chip drives the display (the name is historical: <see cref="Hd44780"/> is a character LCD).</summary>
public enum OledController
{
    /// <summary>Solomon Systech SSD1306: 128-column RAM.</summary>
    Ssd1306,

    /// <summary>Sino Wealth SH1106: 132-column RAM, the 128-pixel panel starts at column 2.</summary>
    Sh1106,

    /// <summary>Solomon Systech SSD1309 (2.42" modules): 128-column RAM, SSD1306 commands, no charge pump.</summary>
    Ssd1309,

    /// <summary>Not an OLED: an HD44780 character LCD behind a PCF8574 I²C backpack (<see cref="Hd44780Lcd"/>).</summary>
    Hd44780,
}
