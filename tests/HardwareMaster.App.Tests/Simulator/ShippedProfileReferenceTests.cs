using System.Text.Json;
using HardwareMaster.App.Tests.Configuration;
using HardwareMaster.App.Tests.Rendering;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>
/// <c>run --simulate --box PROFILE --reference-dir DIR</c>: on every shipped profile the reference A/B can be turned on.
/// Where the profile has a REF pin, the script's <c>ref press</c> is played on that pin (simulated GPIO or expander board)
/// and reaches the player (the REF LED state in the statistics is the player's <c>IsOn</c>); on the Codec Zero, whose
/// header has no free pin, the same gesture has no pin (unrouted) and MONITOR's Reference field turns it on instead.
/// Redirects the Console (and sets HARDWAREMASTER_PROFILES), so serial.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class ShippedProfileReferenceTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("default")]
    [InlineData("usb-no-hat")]
    [InlineData("hifiberry-dacplusadcpro")]
    [InlineData("mcp23017-3enc-4btn")]
    public void RefPress_OnTheProfilesRefPin_TurnsTheReferenceOn(string profile)
    {
        JsonElement ui = Run(profile, "0.3 ref press\n").GetProperty("ui");
        JsonElement controls = ui.GetProperty("controls");
        Assert.Equal(1, controls.GetProperty("simulatedGestures").GetInt64());
        Assert.Equal(0, controls.GetProperty("unroutedGestures").GetInt64());
        Assert.True(ui.GetProperty("leds").GetProperty("ref").GetBoolean(), "the REF pin reached the reference player");
    }

    [Fact]
    public void CodecZero_NoRefPin_TheMonitorPagesReferenceFieldTurnsItOn()
    {
        JsonElement ui = Run("codec-zero", "0.3 ref press\n").GetProperty("ui");
        Assert.Equal(1, ui.GetProperty("controls").GetProperty("unroutedGestures").GetInt64()); // no pin makes REF
        Assert.False(ui.GetProperty("leds").GetProperty("ref").GetBoolean());

        // MAIN ← … SYSTEM, MONITOR, READY?: two pages back is MONITOR; its second field is Reference; a value push toggles.
        ui = Run("codec-zero", "0.3 page ccw 2\n0.6 param cw\n0.9 value press\n").GetProperty("ui");
        Assert.Equal(0, ui.GetProperty("controls").GetProperty("unroutedGestures").GetInt64());
        Assert.Equal("monitor", ui.GetProperty("page").GetString());
        Assert.True(ui.GetProperty("leds").GetProperty("ref").GetBoolean(), "the Reference field reached the reference player");
    }

    private JsonElement Run(string profile, string script)
    {
        string stick = _files.PathOf("stick");
        Directory.CreateDirectory(stick);
        if (!File.Exists(Path.Combine(stick, "ref.wav")))
        {
            _files.DemoMix(Path.Combine("stick", "ref.wav"), seconds: 2);
        }

        string scriptPath = _files.PathOf("ref.script");
        File.WriteAllText(scriptPath, script);
        string stats = _files.PathOf(profile + ".stats.json");
        string? saved = Environment.GetEnvironmentVariable("HARDWAREMASTER_PROFILES");
        Environment.SetEnvironmentVariable("HARDWAREMASTER_PROFILES", Path.Combine(RunConfigurationTests.FindRepoRoot(), "deploy-pi", "profiles"));
        try
        {
            (int code, _, string error) = CliRunner.Run("run", "--simulate", "--box", profile, "--device", "gen:demo", "--rt-priority", "0", "--reference-dir", stick, "--script", scriptPath, "--stats-json", stats);
            Assert.True(code == 0, $"exit {code}: {error}");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HARDWAREMASTER_PROFILES", saved);
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(stats));
        return document.RootElement.Clone();
    }
}
