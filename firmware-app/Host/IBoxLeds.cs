using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>The button LEDs (GPIO on the box).</summary>
public interface IBoxLeds
{
    /// <summary>Lights or darkens the LED of <paramref name="button"/>.</summary>
    /// <param name="button">Bypass, Eq, Comp or Limit.</param>
    /// <param name="lit">On or off.</param>
    void Set(BoxControl button, bool lit);
}
