using System.Device.I2c;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Host;

/// <summary>
/// A character LCD where the UI loop expects a display: each <see cref="Present"/> has the face draw its text mode
/// (<see cref="BoxFace.RenderText"/>) into a preallocated <see cref="CharacterScreen"/> and sends the changed cells
/// (<see cref="Hd44780Lcd"/>). The OLED frame the loop passes is ignored, so <see cref="DisplayLink"/>'s retry and
/// back-off, and everything else in the loop, work unchanged.
/// </summary>
/// <remarks>UI thread only; allocates nothing per frame.</remarks>
public sealed class CharacterLcdDisplay : IMonoDisplay
{
    private readonly ICharacterDisplay _lcd;
    private readonly IBoxFace _face;

    /// <summary>Wraps an open LCD.</summary>
    /// <param name="lcd">The LCD (owned: disposed with this object).</param>
    /// <param name="face">The face whose text mode is shown (a face without one shows its page name).</param>
    public CharacterLcdDisplay(ICharacterDisplay lcd, IBoxFace face)
    {
        ArgumentNullException.ThrowIfNull(lcd);
        ArgumentNullException.ThrowIfNull(face);
        _lcd = lcd;
        _face = face;
        Screen = new CharacterScreen(lcd.Columns, lcd.Rows);
    }

    /// <summary>The OLED frame size the loop renders (ignored here).</summary>
    public int Width => 128;

    /// <inheritdoc />
    public int Height => 64;

    /// <summary>The text last sent to the LCD.</summary>
    public CharacterScreen Screen { get; }

    /// <summary>Bytes sent to the LCD by the last <see cref="Present"/>.</summary>
    public int LastPresentBytes => _lcd is Hd44780Lcd hd ? hd.LastPresentBytes : 0;

    /// <summary>Opens the profile's HD44780 LCD (PCF8574 backpack) on its I²C bus.</summary>
    /// <param name="settings">The profile's display settings (<c>"type": "hd44780"</c>, columns, rows, address).</param>
    /// <param name="face">The face.</param>
    /// <param name="openBus">Opens the I²C device (tests); null = the real bus.</param>
    /// <returns>The display.</returns>
    /// <exception cref="IOException">Nothing answered at the address.</exception>
    public static CharacterLcdDisplay Open(DisplaySettings settings, IBoxFace face, Func<I2cDevice>? openBus = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        I2cDevice device = openBus?.Invoke() ?? I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.Address));
        return new CharacterLcdDisplay(new Hd44780Lcd(device, settings.Columns ?? 16, settings.Rows ?? 2), face);
    }

    /// <inheritdoc />
    public void Present(MonoFrameBuffer frame)
    {
        if (_face is BoxFace box)
        {
            box.RenderText(Screen);
        }
        else
        {
            Screen.Clear();
            Screen.Write(0, 0, _face.PageName);
        }

        _lcd.Present(Screen);
    }

    /// <inheritdoc />
    public void Dispose() => _lcd.Dispose();
}
