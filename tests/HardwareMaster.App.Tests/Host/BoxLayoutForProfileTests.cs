using HardwareMaster.App.Host;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Tests.Host;

public class BoxLayoutForProfileTests
{
    [Fact]
    public void LayoutFor_DefaultProfile_IsTheFullBox()
    {
        Assert.Equal(BoxLayout.Full, BoxRuntime.LayoutFor(HardwareProfile.CreatePi4Or5Default()));
        Assert.Equal(BoxLayout.Full, BoxRuntime.LayoutFor(null)); // the simulator
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 2, 1)]
    [InlineData(1, 4, 1, 4)]
    [InlineData(3, 2, 3, 2)]
    [InlineData(5, 8, 3, 4)]
    public void LayoutFor_FewerControls_GivesTheDegradedModel(int encoders, int buttons, int expectedEncoders, int expectedButtons)
    {
        var profile = new HardwareProfile
        {
            Encoders = Enumerable.Range(0, encoders).Select(i => new EncoderPins { Name = "e" + i, PinA = 2 * i, PinB = (2 * i) + 1 }).ToList(),
            Buttons = Enumerable.Range(0, buttons).Select(i => new ButtonPin { Name = "b" + i, Pin = 20 + i }).ToList(),
        };

        BoxLayout layout = BoxRuntime.LayoutFor(profile);

        Assert.Equal(new BoxLayout(expectedEncoders, expectedButtons), layout);
        Assert.Equal(encoders < 3, layout.IsModal);
        Assert.Equal(buttons >= 4, layout.HasStageButtons);
    }
}
