using System.Text.Json;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Tests.Configuration;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Analog;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>
/// <c>run --simulate --box PROFILE</c>: a shipped profile's box on simulated parts. A scripted run without a terminal
/// on the mcp23017-3enc-4btn profile turns the value encoder and presses BYPASS and EQ through the simulated MCP23017's
/// pins (read by the poll thread, decoded by our QuadratureDecoder/ButtonStateMachine) and ends with the same parameters
/// as the same script handed straight to the face by <c>run --simulate</c>; the pot keys move a simulated ADS1115.
/// Redirects the Console (and sets HARDWAREMASTER_PROFILES), so serial.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class SimulatedBoxHardwareTests : IDisposable
{
    private const string Script = "0.3 value cw 3\n0.8 bypass press\n1.2 eq press\n";

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Cli_SimulateBoxExpanderProfile_GesturesThroughTheExpanderPins_SameResultAsTheFace()
    {
        string script = _files.PathOf("gestures.script");
        File.WriteAllText(script, Script);
        string? saved = Environment.GetEnvironmentVariable("HARDWAREMASTER_PROFILES");
        Environment.SetEnvironmentVariable("HARDWAREMASTER_PROFILES", Path.Combine(RunConfigurationTests.FindRepoRoot(), "deploy-pi", "profiles"));
        JsonElement onPins, onFace;
        try
        {
            onPins = Run("pins", "--box", "mcp23017-3enc-4btn");
            onFace = Run("face");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARDWAREMASTER_PROFILES", saved);
        }

        JsonElement ui = onPins.GetProperty("ui");
        JsonElement controls = ui.GetProperty("controls");
        Assert.Equal(3, controls.GetProperty("simulatedGestures").GetInt64());
        Assert.Equal(0, controls.GetProperty("unroutedGestures").GetInt64());
        Assert.True(controls.GetProperty("expanderPolls").GetInt64() > 10, "the poll thread read the simulated MCP23017");
        Assert.Equal(0, controls.GetProperty("invalidTransitions").GetInt64());
        Assert.Equal(3, ui.GetProperty("scriptSteps").GetInt32());
        Assert.True(ui.GetProperty("gestures").GetInt64() >= 3, "the gestures reached the face through the box's controls");
        Assert.True(ui.GetProperty("leds").GetProperty("bypass").GetBoolean(), "BYPASS on the expander bypassed the box");
        Assert.False(ui.GetProperty("leds").GetProperty("eq").GetBoolean(), "EQ on the expander bypassed the EQ");
        Assert.Equal(1, onPins.GetProperty("parameters").GetProperty("eq.bypass").GetDouble());
        Assert.False(onFace.GetProperty("ui").TryGetProperty("controls", out JsonElement none) && none.ValueKind != JsonValueKind.Null);

        // Three detents through the Gray code on the pins are three detents: the same loudness gain as the face got.
        double gainOnPins = onPins.GetProperty("parameters").GetProperty("loudness.gain").GetDouble();
        double gainOnFace = onFace.GetProperty("parameters").GetProperty("loudness.gain").GetDouble();
        Assert.Equal(gainOnFace, gainOnPins);
        Assert.NotEqual(App.Parameters.ParameterRegistry.Chain.All[App.Parameters.ParameterRegistry.Chain.IndexOf("loudness.gain")].Default, gainOnPins);
    }

    [Fact]
    public void Cli_SimulateBoxWithDisplayOption_OneLineExitTwo()
    {
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--box", "default", "--display", "lcd1602", "--device", "gen:silence");
        Assert.Equal(2, code);
        Assert.Contains("with --box the profile's \"display\" says", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    [Fact]
    public void PotKeys_MoveTheSimulatedAds1115_ReadBackByThePotBank()
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        profile.Pots.Add(new PotSettings { Name = "gain", Parameter = "loudness.gain", Address = 0x49, Channel = 2 });
        using var hardware = new SimulatedBoxHardware(profile, TimeProvider.System);
        using var bank = new AdsPotBank(hardware.OpenI2cAt(1, 0x49), [2]);

        Assert.True(KeyboardInput.MapPot(new ConsoleKeyInfo('x', ConsoleKey.X, false, false, false), out int pot, out double up));
        Assert.Equal((0, KeyboardInput.PotStep), (pot, up));
        Assert.True(KeyboardInput.MapPot(new ConsoleKeyInfo('<', ConsoleKey.OemComma, true, false, false), out pot, out double down));
        Assert.Equal((3, -KeyboardInput.FastPotStep), (pot, down));
        Assert.False(KeyboardInput.MapPot(new ConsoleKeyInfo('q', ConsoleKey.Q, false, false, false), out _, out _));
        Assert.False(KeyboardInput.Map(new ConsoleKeyInfo('z', ConsoleKey.Z, false, false, false), out _, out _)); // pot keys are no gestures
        Assert.True(KeyboardInput.Map(new ConsoleKeyInfo(' ', ConsoleKey.Spacebar, false, false, false), out BoxInput space, out _)); // the old keys still work
        Assert.Equal(new BoxInput(BoxControl.Bypass, BoxAction.Press), space);

        Assert.Equal(0.5, hardware.PotPosition(0)); // centred at start
        Assert.Equal(0.9, hardware.MovePot(0, 0.4), 9);
        double read = 0;
        for (int i = 0; i < 200; i++)
        {
            bank.Poll(0, out _);
            read = bank.Filter(0).Position;
        }

        Assert.True(Math.Abs(read - 0.9) < 0.01, $"the pot bank reads {read}");
        Assert.True(double.IsNaN(hardware.MovePot(1, 0.1)), "no second pot");
        Assert.Throws<IOException>(() => hardware.OpenI2cAt(1, 0x20)); // the default profile has no expander
    }

    private JsonElement Run(string name, params string[] extra)
    {
        string stats = _files.PathOf(name + ".stats.json");
        string[] args = ["run", "--simulate", "--device", "gen:demo", "--rt-priority", "0", "--script", _files.PathOf("gestures.script"), "--stats-json", stats, .. extra];
        (int code, _, string error) = CliRunner.Run(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(stats));
        return document.RootElement.Clone();
    }
}
