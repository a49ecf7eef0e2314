using System.Device.Gpio;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// <c>run --box</c>'s wiring on scripted GPIO and a recording I²C bus: the default profile's BYPASS button reaches the
/// engine and lights its LED pin, the page encoder walks the pages, the OLED shows the face, and a box whose GPIO cannot
/// be opened still runs its screen.
/// </summary>
public sealed class HardwareBoxTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("hm-box-state").FullName;

    private const int BypassButtonPin = 4;
    private const int BypassLedPin = 10;
    private const int EqButtonPin = 16;
    private const int EqLedPin = 7;
    private const int PagePinA = 17;
    private const int PagePinB = 27;

    [Fact]
    public void DefaultProfile_BypassButtonTogglesEngineAndLed_PageEncoderWalks()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new GpioController(driver);
        var bus = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        (AudioEngine engine, BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null)
        {
            Hardware = HardwareProfile.CreatePi4Or5Default(),
            Gpio = gpio,
            OpenI2c = () => bus,
            Time = time,
            FaceFactory = null,
        });
        using (box)
        {
            Frames(loop, time, 3);
            Assert.NotNull(box.Controls);
            Assert.Equal(4, box.Controls!.LedCount);
            Assert.Equal(PinValue.High, driver.GetLevel(EqLedPin)); // EQ active: lit
            Assert.Equal(PinValue.Low, driver.GetLevel(BypassLedPin));
            Assert.False(engine.GlobalBypass);

            driver.SetInput(BypassButtonPin, PinValue.Low); // pressed (pull-up, switch to ground)
            Frames(loop, time, 3);
            driver.SetInput(BypassButtonPin, PinValue.High);
            Frames(loop, time, 3);
            Assert.True(engine.GlobalBypass);
            Assert.Equal(PinValue.High, driver.GetLevel(BypassLedPin));

            string page = loop.Face.PageName;
            foreach ((PinValue a, PinValue b) in new[] { (PinValue.Low, PinValue.High), (PinValue.Low, PinValue.Low), (PinValue.High, PinValue.Low), (PinValue.High, PinValue.High) })
            {
                driver.SetInput(PagePinA, a);
                driver.SetInput(PagePinB, b);
                time.AdvanceMs(2);
            }

            Frames(loop, time, 2);
            Assert.NotEqual(page, loop.Face.PageName);

            var panel = new MonoFrameBuffer();
            bus.Decoder!.Render(panel);
            Assert.True(panel.ContentEquals(loop.Frame), "the OLED shows the face's frame");
        }
    }

    [Fact]
    public void ParameterChange_LastStateSavedAfterTheDelayOnly()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new GpioController(driver);
        var bus = new RecordingI2cDevice { IsRecording = false };
        (_, BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Hardware = HardwareProfile.CreatePi4Or5Default(), Gpio = gpio, OpenI2c = () => bus, Time = time });
        using (box)
        {
            string state = box.Presets!.StatePath;
            Frames(loop, time, 3);
            Assert.False(File.Exists(state), "nothing changed: nothing written");

            driver.SetInput(EqButtonPin, PinValue.Low);
            Frames(loop, time, 3);
            driver.SetInput(EqButtonPin, PinValue.High);
            Frames(loop, time, 3);
            Assert.Equal(PinValue.Low, driver.GetLevel(EqLedPin)); // EQ bypassed
            Assert.False(File.Exists(state), "not before the delay");

            Frames(loop, time, (int)(BoxRuntime.SaveDelay.TotalMilliseconds / 40) + 2);
            Assert.True(File.Exists(state));
            Assert.Contains("eq.bypass", File.ReadAllText(state), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GpioUnavailable_ScreenStillRuns()
    {
        var time = new ManualTimeProvider();
        var bus = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Sh1106) };
        var profile = HardwareProfile.CreatePi4Or5Default();
        profile.Display!.Type = OledController.Sh1106;
        using var gpio = new GpioController(new ThrowingDriver());
        (_, BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Hardware = profile, Gpio = gpio, OpenI2c = () => bus, Time = time });
        using (box)
        {
            Frames(loop, time, 3);
            Assert.Null(box.Controls);
            Assert.True(loop.Display.Presented >= 1);
            Assert.Equal(0, loop.Display.Failures);
        }
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static void Frames(BoxLoop loop, ManualTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            time.AdvanceMs(40);
            loop.RunFrame();
        }
    }

    private (AudioEngine Engine, BoxRuntime Box, BoxLoop Loop) Create(BoxRequest request)
    {
        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        BoxRuntime box = BoxRuntime.Prepare(request with { StateDirectory = _state });
        box.Build(supervisor, controller, () => { }, NullLogger.Instance);
        return (engine, box, box.Loop!);
    }

    private sealed class ThrowingDriver : GpioDriver
    {
        protected override int PinCount => 28;

        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) => throw new IOException("no GPIO chip");

        protected override void ClosePin(int pinNumber)
        {
        }

        protected override PinMode GetPinMode(int pinNumber) => PinMode.Input;

        protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

        protected override void OpenPin(int pinNumber) => throw new IOException("no GPIO chip");

        protected override PinValue Read(int pinNumber) => PinValue.High;

        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
        {
        }

        protected override void SetPinMode(int pinNumber, PinMode mode)
        {
        }

        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) => default;

        protected override void Write(int pinNumber, PinValue value)
        {
        }
    }
}
