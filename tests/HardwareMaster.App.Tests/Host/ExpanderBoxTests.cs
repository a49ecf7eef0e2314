using System.Device.Gpio;
using System.Device.I2c;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Configuration;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// The whole box (<see cref="BoxRuntime"/> + <see cref="BoxLoop"/>, the I²C poll thread running) on the shipped
/// mcp23017-3enc-4btn profile with a simulated MCP23017 (its INT wired to the profile's GPIO 17) and, for the pot
/// tests, a simulated ADS1115 with one pot on a registry parameter: expander encoders and buttons reach the face,
/// expander LEDs follow it, a pot takes over softly after a preset recall, and a failing bus is survived and recovered.
/// </summary>
public sealed class ExpanderBoxTests : IDisposable
{
    private const int InterruptPin = 17;
    private const int BypassLedGpio = 7;
    private const int EqButtonBit = 10;
    private const int BypassButtonBit = 13;
    private const int EqLedBit = 7;
    private const int ValueA = 6;
    private const int ValueB = 8;
    private const int PageA = 0;
    private const int PageB = 1;

    private readonly string _state = Directory.CreateTempSubdirectory("hm-expander-box").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedGpioDriver _driver;
    private readonly GpioController _gpio;
    private readonly SimulatedMcp23xxx _mcp = new(16, 1, 0x20);
    private readonly SimulatedAds1115 _ads = new(1, 0x48);
    private readonly AudioSupervisorTests.ListLogger _log = new();

    public ExpanderBoxTests()
    {
        _driver = new ScriptedGpioDriver(_time);
        _gpio = new GpioController(_driver);
        _driver.SetInput(InterruptPin, PinValue.High); // INT idle (active low)
        _mcp.InterruptChanged = asserted => _driver.SetInput(InterruptPin, asserted ? PinValue.Low : PinValue.High);
    }

    internal static HardwareProfile ShippedExpanderProfile(bool withPot)
    {
        HardwareProfile profile = HardwareProfileLoader.Load(Path.Combine(RunConfigurationTests.FindRepoRoot(), "deploy-pi", "profiles", "mcp23017-3enc-4btn.json"));
        if (withPot)
        {
            profile.Pots.Add(new PotSettings { Name = "bell 1 gain", Parameter = ParameterIds.EqBell1Gain, Address = 0x48, Channel = 0 });
            HardwareProfileLoader.Validate(profile, "test profile");
        }

        return profile;
    }

    [Fact]
    public void ExpanderEncoderAndButtons_DriveTheBox_AndItsLeds()
    {
        (AudioEngine engine, BoxRuntime box, BoxLoop loop) = Create(ShippedExpanderProfile(withPot: false));
        using (box)
        {
            I2cControlPoller poller = box.Controls!.Poller!;
            Assert.True(Run(loop, poller, () => poller.IsExpanderUp(0) && (_mcp.OutputLatch & (1 << EqLedBit)) != 0), "EQ is active at start: its expander LED is lit");
            Assert.Equal(4, box.Controls.LedCount);
            Assert.Equal(0xC080, _mcp.OutputLatch & 0xC080); // eq, comp, limit LEDs (GPA7, GPB6, GPB7) lit
            Assert.Equal(0x3F7F, _mcp.Direction & 0xFFFF); // every control pin is an input; GPA7, GPB6, GPB7 drive LEDs
            Assert.NotEqual(0, _mcp.Register(0x02) | _mcp.Register(0x02, 1)); // GPINTEN: interrupt on change

            // The value encoder (GPA6/GPB0): detents on MAIN move the loudness gain.
            int loudness = box.Backend!.Registry.IndexOf(ParameterIds.LoudnessGain);
            double before = box.Backend.Get(loudness);
            Turn(loop, poller, ValueA, ValueB, detents: 3);
            Assert.True(Run(loop, poller, () => box.Backend.Get(loudness) != before), "the expander's value encoder changed the loudness gain");
            Assert.Equal(0, box.Controls.ExpanderInputs[0].InvalidTransitions(2));

            // The page encoder (GPA0/GPA1): one detent walks the page.
            string page = loop.Face.PageName;
            Turn(loop, poller, PageA, PageB, detents: 1);
            Assert.True(Run(loop, poller, () => loop.Face.PageName != page), "the expander's page encoder walked the page");

            // BYPASS (GPB5): toggles the engine and its (GPIO) LED.
            Press(loop, poller, BypassButtonBit);
            Assert.True(Run(loop, poller, () => engine.GlobalBypass && _driver.GetLevel(BypassLedGpio) == PinValue.High), "BYPASS on the expander bypassed the engine and lit its LED");
            Press(loop, poller, BypassButtonBit);
            Assert.True(Run(loop, poller, () => !engine.GlobalBypass && _driver.GetLevel(BypassLedGpio) == PinValue.Low));

            // EQ (GPB2): its LED on the expander (GPA7) goes out.
            Press(loop, poller, EqButtonBit);
            Assert.True(Run(loop, poller, () => (_mcp.OutputLatch & (1 << EqLedBit)) == 0), "EQ bypassed: its expander LED went out");
            Assert.Equal(1.0, box.Backend.Get(box.Backend.Registry.IndexOf(ParameterIds.EqBypass)));
            Assert.Equal(0, loop.FaceFailures);
        }
    }

    [Fact]
    public void Pot_SoftTakeoverAfterPresetRecall()
    {
        (_, BoxRuntime box, BoxLoop loop) = Create(ShippedExpanderProfile(withPot: true));
        using (box)
        {
            I2cControlPoller poller = box.Controls!.Poller!;
            PotParameters pots = box.Pots!;
            int gain = box.Backend!.Registry.IndexOf(ParameterIds.EqBell1Gain);
            Assert.Equal(0, box.Backend.Get(gain));

            // At start the pot is detached (the restored state must not jump): a pot at 90 % moves nothing.
            SetPot(0.9);
            Assert.True(Run(loop, poller, () => !pots.Status(0, out double p, out _) && p > 0.85), "the pot's position is seen while detached");
            RunSteps(loop, poller, 40);
            Assert.Equal(0, box.Backend.Get(gain));

            // Through the value (50 % = 0 dB) it attaches; then it drives the gain: 75 % = +6 dB.
            SetPot(0.5);
            Assert.True(Run(loop, poller, () => pots.Status(0, out _, out _)), "the pot picked the gain up at its value");
            SetPot(0.75);
            Assert.True(Run(loop, poller, () => Math.Abs(box.Backend.Get(gain) - 6) < 0.3), $"the pot drives the gain (now {box.Backend.Get(gain)} dB)");
            Assert.True(box.Presets!.SaveUser(0, "pot test"));

            SetPot(0.25);
            Assert.True(Run(loop, poller, () => Math.Abs(box.Backend.Get(gain) + 6) < 0.3), $"the pot drives the gain down (now {box.Backend.Get(gain)} dB)");

            // Recall: the gain jumps to the preset's +6 dB and the pot (at 25 %) lets go of it.
            Assert.True(box.Presets.RecallUser(0));
            box.Backend.Resync();
            double recalled = box.Backend.Get(gain);
            Assert.True(Math.Abs(recalled - 6) < 0.3, $"recalled {recalled} dB");
            loop.RunFrame();
            SetPot(0.3);
            RunSteps(loop, poller, 60);
            Assert.Equal(recalled, box.Backend.Get(gain));
            Assert.False(pots.Status(0, out double position, out double value));
            Assert.True(position < 0.35 && Math.Abs(value - 0.75) < 0.02, $"pot at {position}, value at {value}");

            // Turned past the recalled value, it takes over again and follows.
            SetPot(0.85);
            Assert.True(Run(loop, poller, () => box.Backend.Get(gain) > recalled + 1.5), $"the pot took over after crossing the recalled value (now {box.Backend.Get(gain)} dB)");
            Assert.True(pots.Moves > 0 && pots.Detaches >= 2);
        }
    }

    [Fact]
    public void BusFailure_LoggedOnceRetried_AndRecovered()
    {
        (AudioEngine engine, BoxRuntime box, BoxLoop loop) = Create(ShippedExpanderProfile(withPot: true));
        using (box)
        {
            I2cControlPoller poller = box.Controls!.Poller!;
            Assert.True(Run(loop, poller, () => poller.IsExpanderUp(0) && poller.IsPotBankUp(0)));

            _mcp.Failing = true;
            _ads.Failing = true;
            Assert.True(Run(loop, poller, () => !poller.IsExpanderUp(0) && !poller.IsPotBankUp(0)));
            long failures = poller.Failures;
            long frames = loop.Frames;
            RunSteps(loop, poller, 400); // 2 s of box time with the bus down: retried, backing off
            Assert.True(poller.Failures > failures, "retried");
            Assert.True(poller.Failures < failures + 40, $"backed off ({poller.Failures - failures} attempts in 2 s)");
            Assert.True(loop.Frames > frames && loop.FaceFailures == 0, "the face ran on");
            Assert.Equal(2, _log.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("does not answer", StringComparison.Ordinal)));

            // The audio engine is untouched by it: a block still processes.
            float[] l = new float[64], r = new float[64], ol = new float[64], or = new float[64];
            l[0] = 0.5f;
            engine.ProcessBlock(new AudioBuffers(l, r, ol, or, 64));

            _mcp.Failing = false;
            _ads.Failing = false;
            Assert.True(Run(loop, poller, () => poller.IsExpanderUp(0) && poller.IsPotBankUp(0)), "back when the bus answers");
            Assert.True(poller.Recoveries >= 2);
            Assert.Contains(_log.Lines, l => l.Contains("answering again", StringComparison.Ordinal));
            Assert.Equal(0x3F7F, _mcp.Direction & 0xFFFF);

            Press(loop, poller, BypassButtonBit);
            Assert.True(Run(loop, poller, () => engine.GlobalBypass), "the expander's buttons work again");
        }
    }

    public void Dispose()
    {
        _gpio.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private void SetPot(double position) => _ads.SetInput(0, position * 3.3);

    // One step of box time: 5 ms on the clock, one poll-thread pass after it, a UI frame every 40 ms.
    private void Step(BoxLoop loop, I2cControlPoller poller)
    {
        _time.AdvanceMs(5);
        long seen = poller.Iterations;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (poller.Iterations < seen + 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        if ((_time.GetTimestamp() / 50_000) % 8 == 0)
        {
            loop.RunFrame();
        }
    }

    private void RunSteps(BoxLoop loop, I2cControlPoller poller, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            Step(loop, poller);
        }
    }

    private bool Run(BoxLoop loop, I2cControlPoller poller, Func<bool> until)
    {
        for (int i = 0; i < 2000 && !until(); i++)
        {
            Step(loop, poller);
        }

        return until();
    }

    private void Turn(BoxLoop loop, I2cControlPoller poller, int pinA, int pinB, int detents)
    {
        for (int d = 0; d < detents; d++)
        {
            foreach ((bool a, bool b) in new[] { (false, true), (false, false), (true, false), (true, true) })
            {
                ushort levels = _mcp.ExternalLevels;
                levels = (ushort)(a ? levels | (1 << pinA) : levels & ~(1 << pinA));
                levels = (ushort)(b ? levels | (1 << pinB) : levels & ~(1 << pinB));
                _mcp.ExternalLevels = levels;
                Step(loop, poller);
            }
        }
    }

    private void Press(BoxLoop loop, I2cControlPoller poller, int bit)
    {
        _mcp.ExternalLevels = (ushort)(_mcp.ExternalLevels & ~(1 << bit));
        RunSteps(loop, poller, 12);
        _mcp.ExternalLevels = (ushort)(_mcp.ExternalLevels | (1 << bit));
        RunSteps(loop, poller, 80); // past the double-press window: the next press is a press of its own
    }

    private (AudioEngine Engine, BoxRuntime Box, BoxLoop Loop) Create(HardwareProfile profile)
    {
        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        var display = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        BoxRuntime box = BoxRuntime.Prepare(new BoxRequest(null, false, null, _state)
        {
            Hardware = profile,
            Gpio = _gpio,
            Time = _time,
            OpenI2c = () => display,
            OpenI2cAt = (bus, address) => address switch
            {
                0x20 => _mcp,
                0x48 => _ads,
                _ => throw new IOException($"no simulated device at 0x{address:X2} on bus {bus}"),
            },
        });
        box.Build(supervisor, controller, () => { }, _log);
        return (engine, box, box.Loop!);
    }
}
