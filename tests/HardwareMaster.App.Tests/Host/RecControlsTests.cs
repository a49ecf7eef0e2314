using System.Device.Gpio;
using HardwareMaster.App.Host;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Host;

/// <summary>The optional REC button and LED of a hardware profile, the script's <c>rec</c> and the simulator's r/R keys.</summary>
public class RecControlsTests
{
    private static HardwareProfile WithRec()
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        profile.Buttons.Add(new ButtonPin { Name = "rec", Pin = 14 });
        profile.Leds.Add(new LedPin { Name = "rec", Pin = 15 });
        return profile;
    }

    [Fact]
    public void Profile_RecButton_MapsToRec_AndDoesNotCountAsAStageButton()
    {
        HardwareProfile profile = WithRec();
        HardwareProfileLoader.Validate(profile);
        var mapper = new ProfileInputMapper(profile);
        int rec = profile.Buttons.FindIndex(b => b.Name == "rec"); // after the default's REF button
        Assert.True(mapper.TryMap(new InputEvent(InputSource.Button(rec), InputAction.Press, 0, 0), out BoxInput press));
        Assert.Equal(new BoxInput(BoxControl.Rec, BoxAction.Press), press);
        Assert.True(mapper.TryMap(new InputEvent(InputSource.Button(rec), InputAction.LongPress, 0, 0), out BoxInput longPress));
        Assert.Equal(new BoxInput(BoxControl.Rec, BoxAction.Long), longPress);
        Assert.Equal(BoxLayout.Full, BoxRuntime.LayoutFor(profile));

        var oneButtonAndRec = new HardwareProfile
        {
            Encoders = [new EncoderPins { Name = "page", PinA = 2, PinB = 3 }],
            Buttons = [new ButtonPin { Name = "bypass", Pin = 4 }, new ButtonPin { Name = "rec", Pin = 5 }],
        };
        Assert.Equal(new BoxLayout(1, 1), BoxRuntime.LayoutFor(oneButtonAndRec)); // REC is extra: still the one-button model
    }

    [Fact]
    public void HardwareControls_LightTheRecLedByName()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new GpioController(driver);
        using HardwareControls controls = HardwareControls.Open(WithRec(), gpio, time);
        Assert.Equal(5, controls.LedCount);
        controls.Set(BoxControl.Rec, true);
        Assert.Equal(PinValue.High, driver.GetLevel(15));
        controls.Set(BoxControl.Rec, false);
        Assert.Equal(PinValue.Low, driver.GetLevel(15));
    }

    [Fact]
    public void Script_And_Keys_NameRec()
    {
        Assert.True(BoxScript.TryControl("rec", out BoxControl control));
        Assert.Equal(BoxControl.Rec, control);
        Assert.Equal("rec", BoxScript.NameOf(BoxControl.Rec));
        Assert.True(KeyboardInput.Map(new ConsoleKeyInfo('r', ConsoleKey.R, false, false, false), out BoxInput press, out _));
        Assert.Equal(new BoxInput(BoxControl.Rec, BoxAction.Press), press);
        Assert.True(KeyboardInput.Map(new ConsoleKeyInfo('R', ConsoleKey.R, true, false, false), out BoxInput longPress, out _));
        Assert.Equal(new BoxInput(BoxControl.Rec, BoxAction.Long), longPress);
    }
}
