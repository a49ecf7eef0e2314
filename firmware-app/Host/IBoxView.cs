using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Host;

/// <summary>Somewhere the box's screen is shown besides the OLED (the terminal, a snapshot folder).</summary>
public interface IBoxView
{
    /// <summary>Called when the panel's picture, the page or an LED changed.</summary>
    /// <param name="panel">What the panel shows.</param>
    /// <param name="state">Page and LEDs.</param>
    /// <param name="screenChanged">Whether the picture changed (not only an LED).</param>
    void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged);
}
