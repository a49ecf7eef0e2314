using HardwareMaster.App.Commands;
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
/// The box with a character LCD (issue 17): a profile with <c>"type": "hd44780"</c> and <c>run --simulate --display
/// lcd2004</c> show the face's text mode through our HD44780 driver on a simulated PCF8574 backpack; an SSD1309 profile
/// opens our SSD1309 variant; bad <c>--display</c> values are one line.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class CharacterLcdBoxTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("hm-lcd-state").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public void Profile_Hd44780_ShowsTheTextFaceOnTheLcd_ThePageEncoderWalksIt()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new System.Device.Gpio.GpioController(driver);
        var lcd = new SimulatedCharacterLcd(20, 4);
        HardwareProfile profile = WithDisplay("""{ "type": "hd44780", "address": "0x27", "columns": 20, "rows": 4 }""");
        (BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Hardware = profile, Gpio = gpio, OpenI2c = () => lcd, Time = time });
        using (box)
        {
            Frames(loop, time, 3);
            Assert.Equal(0, loop.Display.Failures);
            Assert.StartsWith("MAIN", lcd.Panel.RowText(0));
            Assert.True(lcd.Panel.IsBacklightOn);
            Assert.True(loop.Display.Bytes > 0);

            loop.Face.Handle(new HardwareMaster.App.Ui.BoxInput(HardwareMaster.App.Ui.BoxControl.Page, HardwareMaster.App.Ui.BoxAction.Cw));
            Frames(loop, time, 2);
            Assert.StartsWith("LOUDNESS", lcd.Panel.RowText(0));
        }

        Assert.False(lcd.Panel.IsDisplayOn); // switched off when the box stops
    }

    [Fact]
    public void Profile_Hd44780_Missing_IsRetriedAndCounted_TheLoopRuns()
    {
        var time = new ManualTimeProvider();
        var lcd = new SimulatedCharacterLcd(16, 2) { IsPresent = false };
        HardwareProfile profile = WithDisplay("""{ "type": "hd44780", "address": "0x3F", "columns": 16, "rows": 2 }""");
        using var gpio = new System.Device.Gpio.GpioController(new ScriptedGpioDriver(time));
        (BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Hardware = profile, Gpio = gpio, OpenI2c = () => lcd, Time = time });
        using (box)
        {
            Frames(loop, time, 4);
            Assert.True(loop.Display.Failures >= 1);
            Assert.Contains("HD44780", loop.Display.LastFailure, StringComparison.Ordinal);
            lcd.IsPresent = true;
            Frames(loop, time, 80);
            Assert.StartsWith("I", lcd.Panel.RowText(0)); // the 16x2 MAIN: input bar first
        }
    }

    [Fact]
    public void Profile_Ssd1309_OpensOurSsd1309()
    {
        var time = new ManualTimeProvider();
        var panel = new OledDecoder(OledController.Ssd1309);
        var bus = new RecordingI2cDevice { IsRecording = false, Decoder = panel };
        HardwareProfile profile = WithDisplay("""{ "type": "ssd1309", "address": "0x3C" }""");
        using var gpio = new System.Device.Gpio.GpioController(new ScriptedGpioDriver(time));
        (BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Hardware = profile, Gpio = gpio, OpenI2c = () => bus, Time = time });
        using (box)
        {
            Frames(loop, time, 2);
            Assert.Equal(0, loop.Display.Failures);
            Assert.True(panel.IsDisplayOn);
            Assert.Equal(0, panel.UnknownCommands);
        }
    }

    [Fact]
    public void Simulate_DisplayLcd2004_TheLoopDrivesTheSimulatedLcd()
    {
        var time = new ManualTimeProvider();
        (BoxRuntime box, BoxLoop loop) = Create(new BoxRequest(null, false, null, null) { Time = time, SimulatedDisplay = new SimulatedDisplay(OledController.Hd44780, 20, 4) });
        using (box)
        {
            Frames(loop, time, 3);
            Assert.NotNull(box.SimulatedLcd);
            Assert.StartsWith("MAIN", box.SimulatedLcd!.Panel.RowText(0));
            Assert.StartsWith("IN", box.SimulatedLcd.Panel.RowText(1));
        }
    }

    [Theory]
    [InlineData("lcd2004", 20, 4)]
    [InlineData("lcd1602", 16, 2)]
    [InlineData("ssd1309", 0, 0)]
    public void DisplayOption_Names_Parse(string name, int columns, int rows)
    {
        Assert.True(RunDisplayOptions.TryParse(name, out SimulatedDisplay display));
        Assert.Equal(columns, display.Columns);
        Assert.Equal(rows, display.Rows);
    }

    [Fact]
    public void Cli_SimulateLcd1602WithSnapshots_WritesTheDecodedTextScreens()
    {
        string folder = Path.Combine(_state, "snaps");
        string script = Path.Combine(_state, "s.txt");
        File.WriteAllText(script, "0.2 page cw\n");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "gen:silence", "--rt-priority", "0", "--display", "lcd1602", "--snapshot-dir", folder, "--script", script);
        Assert.True(code == 0, error);
        string[] files = Directory.GetFiles(folder, "screen-*.txt").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 2, $"{files.Length} snapshots");
        string[] first = File.ReadAllText(files[0]).TrimEnd('\n').Split('\n');
        Assert.Equal(2, first.Length);
        Assert.All(first, line => Assert.Equal(16, line.Length));
        Assert.StartsWith("I", first[0]); // MAIN 16x2: the input bar
        Assert.Contains(files, f => File.ReadAllText(f).StartsWith("I  ", StringComparison.Ordinal) && File.ReadAllText(f).Contains("TP", StringComparison.Ordinal)); // LOUDNESS
        Assert.Empty(Directory.GetFiles(folder, "*.png"));
    }

    [Fact]
    public void Cli_UnknownDisplay_OneLineExitTwo()
    {
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "gen:silence", "--display", "lcd4004");
        Assert.Equal(2, code);
        Assert.Contains("--display lcd4004: unknown display (ssd1306, sh1106, ssd1309, lcd1602, lcd2004)", CliRunner.SingleLine(error), StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("run", "--device", "gen:silence", "--display", "lcd2004");
        Assert.Equal(2, code);
        Assert.Contains("--display lcd2004: needs --simulate", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    // The default Pi 4/5 controls with the display from a profile's JSON (parsed and validated by the loader).
    private static HardwareProfile WithDisplay(string displayJson)
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        profile.Display = HardwareProfileLoader.Parse("{ \"display\": " + displayJson + " }", "box.json").Display;
        return profile;
    }

    private static void Frames(BoxLoop loop, ManualTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            time.AdvanceMs(40);
            loop.RunFrame();
        }
    }

    private (BoxRuntime Box, BoxLoop Loop) Create(BoxRequest request)
    {
        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        BoxRuntime box = BoxRuntime.Prepare(request with { StateDirectory = _state });
        box.Build(supervisor, controller, () => { }, NullLogger.Instance);
        return (box, box.Loop!);
    }
}
