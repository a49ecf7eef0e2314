using HardwareMaster.App.Host;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Tests.Host;

/// <summary>hal input events to the box's gestures, by the profile's control names.</summary>
public sealed class ProfileInputMapperTests
{
    private readonly ProfileInputMapper _mapper = new(HardwareProfile.CreatePi4Or5Default());

    [Fact]
    public void DefaultProfile_NamesTheBoxControls()
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        Assert.Equal(new[] { "page", "param", "value" }, profile.Encoders.Select(e => e.Name));
        Assert.Equal(new[] { "eq", "comp", "limit", "bypass", "ref" }, profile.Buttons.Select(b => b.Name));
    }

    [Theory]
    [InlineData(0, 3, BoxControl.Page, BoxAction.Cw, 3)]
    [InlineData(1, -1, BoxControl.Param, BoxAction.Ccw, 1)]
    [InlineData(2, -7, BoxControl.Value, BoxAction.Ccw, 7)]
    public void Rotate_ByProfileName_GivesTheEncoderControl(int encoder, int delta, BoxControl control, BoxAction action, int count)
    {
        Assert.True(_mapper.TryMap(new InputEvent(InputSource.Encoder(encoder), InputAction.Rotate, delta, 0), out BoxInput input));
        Assert.Equal(new BoxInput(control, action, count), input);
    }

    [Fact]
    public void Buttons_ByProfileName_PressAtOnce()
    {
        Assert.True(_mapper.TryMap(new InputEvent(InputSource.Button(3), InputAction.Press, 0, 0), out BoxInput bypass));
        Assert.Equal(new BoxInput(BoxControl.Bypass, BoxAction.Press), bypass);
        Assert.False(_mapper.TryMap(new InputEvent(InputSource.Button(3), InputAction.Release, 0, 0), out _));
        Assert.True(_mapper.TryMap(new InputEvent(InputSource.Button(0), InputAction.LongPress, 0, 0), out BoxInput eqLong));
        Assert.Equal(new BoxInput(BoxControl.Eq, BoxAction.Long), eqLong);
    }

    [Fact]
    public void EncoderSwitch_ShortPressOnRelease_LongPressOnlyLong()
    {
        InputSource push = InputSource.EncoderSwitch(2);
        Assert.False(_mapper.TryMap(new InputEvent(push, InputAction.Press, 0, 0), out _));
        Assert.True(_mapper.TryMap(new InputEvent(push, InputAction.Release, 0, 0), out BoxInput shortPress));
        Assert.Equal(new BoxInput(BoxControl.Value, BoxAction.Press), shortPress);

        Assert.False(_mapper.TryMap(new InputEvent(push, InputAction.Press, 0, 1), out _));
        Assert.True(_mapper.TryMap(new InputEvent(push, InputAction.LongPress, 0, 2), out BoxInput longPress));
        Assert.Equal(new BoxInput(BoxControl.Value, BoxAction.Long), longPress);
        Assert.False(_mapper.TryMap(new InputEvent(push, InputAction.Release, 0, 3), out _));
    }

    [Fact]
    public void UnknownNames_EncodersByPositionButtonsIgnored()
    {
        var profile = new HardwareProfile
        {
            Encoders = [new EncoderPins { Name = "select" }, new EncoderPins { Name = "gain" }],
            Buttons = [new ButtonPin { Name = "mute" }],
        };
        var mapper = new ProfileInputMapper(profile);
        Assert.True(mapper.TryMap(new InputEvent(InputSource.Encoder(1), InputAction.Rotate, 1, 0), out BoxInput input));
        Assert.Equal(BoxControl.Param, input.Control);
        Assert.False(mapper.TryMap(new InputEvent(InputSource.Button(0), InputAction.Press, 0, 0), out _));
        Assert.False(mapper.TryMap(new InputEvent(InputSource.Encoder(5), InputAction.Rotate, 1, 0), out _));
    }
}
