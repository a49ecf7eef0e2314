using System.CommandLine;
using System.Globalization;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Simulator;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Commands;

/// <summary><c>hardwaremaster run</c>: the box's service loop (device → engine → device) under the Generic Host and systemd.</summary>
internal static class RunCommand
{
    /// <summary>Builds the <c>run</c> verb.</summary>
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = "Audio device: alsa:NAME, pa:NAME, file:PATH, gen:tone|pink|demo|silence, sim:NAME. Default: the config's, else alsa:default." };
        var output = new Option<string?>("--output") { Description = "Separate playback device (ALSA/PortAudio) or the output file (file device)." };
        var rate = new Option<int?>("--rate") { Description = "Sample rate, Hz (a file device defaults to the file's rate)." };
        var block = new Option<int?>("--block") { Description = "Block size, frames (the ALSA period)." };
        var periods = new Option<int?>("--periods") { Description = "Periods in the device buffer (2..16)." };
        var priority = new Option<int?>("--rt-priority") { Description = "SCHED_FIFO priority of the audio thread (0 = none)." };
        var preset = new Option<string?>("--preset") { Description = "Factory preset, preset file, or user preset name." };
        var config = new Option<string?>("--config") { Description = "JSON configuration file (e.g. /etc/hardwaremaster/config.json); the options above override it." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds of audio." };
        var statsJson = new Option<string?>("--stats-json") { Description = "Write xruns, deadline misses, compute-time percentiles and meter summaries to this file on exit." };
        var testSignal = new Option<string?>("--test-signal") { Description = "Replace the input with an internal generator (line-up tone, noise, the demo mix): tone[:HZ[:DBFS]], pink[:DBFS[:SEED]], demo or silence. The output still goes to the device." };
        var bits = new Option<string?>("--bits") { Description = "Output word: 16, 24 (packed), 32 or 32f (float). A file is written in it (default 32f); a device is opened in it (default: the best it offers). Dither follows the word." };
        var simulate = new Option<bool>("--simulate") { Description = "Run the whole box on this computer: the OLED drawn in the terminal, the keyboard as knobs and buttons (keys listed under the screen); without a terminal, plays --script (or a tour of every page) and exits. With --box PROFILE: that profile's box with its parts simulated (encoders, buttons and expanders played pin by pin from the keyboard or the script, pots on simulated ADS1115s, the profile's display)." };
        var script = new Option<string?>("--script") { Description = "With --simulate: replay timed input, one gesture a line 'SECONDS CONTROL ACTION [COUNT]' on the audio timeline (CONTROL: page param value bypass eq comp limit; ACTION: cw ccw press long double; # comments)." };
        var snapshotDir = new Option<string?>("--snapshot-dir") { Description = "With --simulate: write each new screen as a PNG (screen-00001.png, ...) into this folder." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Keep user presets, the last state and the remote pairing secret in this folder (--simulate: default a temporary one, discarded; --box and headless: default /var/lib/hardwaremaster)." };
        var boxProfile = new Option<string?>("--box") { Description = "Run the box's face on its hardware: encoders, buttons, LEDs and OLED from this hardware profile (JSON file), or 'default' (the Pi 4/5 default pins), or the name of a shipped profile (deploy-pi/profiles, e.g. hifiberry-dacplusadcpro). With --simulate: run that profile on simulated parts." };
        var record = new Option<string?>("--record") { Description = "Record input and master into this folder (a take per start; power-loss safe WAV/RF64 with a report per take; more in the config's \"record\" object)." };
        var remote = new Option<string?>("--remote") { Description = "Serve the remote-control web page on ADDR:PORT (e.g. 127.0.0.1:8080; 0.0.0.0:8080 for every interface). Off by default; every client needs the pairing secret (hardwaremaster remote pair)." };
        var midi = new Option<string?>("--midi") { Description = "MIDI control input: an ALSA rawmidi device (hw:1,0; see amidi -l) or file:PATH (a file or FIFO of MIDI bytes). Only this device is read." };
        var midiMap = new Option<string?>("--midi-map") { Description = "With --midi: the mapping (JSON: CC/NRPN → parameter id, absolute or relative, program → preset); default the learned map in the state folder." };
        var osc = new Option<string?>("--osc") { Description = "Listen for OSC over UDP on ADDR:PORT (e.g. 127.0.0.1:9000); off by default." };
        var oscAllow = new Option<string?>("--osc-allow") { Description = "With --osc: accept packets only from these addresses (comma-separated IPs)." };
        var fade = new Option<double>("--fade-ms") { Description = "Fade at start, after a device returns and at stop, ms.", DefaultValueFactory = _ => 50 };
        var command = new Command("run", "Run the mastering engine on an audio device until stopped (SIGTERM/Ctrl-C), the input file ends or --duration passes.")
        {
            device, output, rate, block, periods, priority, preset, config, duration, statsJson, fade, testSignal, bits, simulate, script, snapshotDir, stateDir, boxProfile, remote, record, midi, midiMap, osc, oscAllow,
        };
        (Option<string?> latencyMode, Option<int?> xrunLimit) = RunProtectionOptions.Add(command);
        (Option<string?> monitor, Option<string?> monitorOutput) = RunMonitorOptions.Add(command);
        Option<string?> display = RunDisplayOptions.Add(command);
        Option<string?> referenceDir = RunReferenceOptions.Add(command);
        Option<string?> channelMap = RunChannelMapOptions.Add(command);
        command.SetAction(result =>
        {
            RunRequest? request = Build(
                result.GetValue(config),
                new RunConfigurationOverrides(result.GetValue(device), result.GetValue(output), result.GetValue(rate), result.GetValue(block), result.GetValue(periods), result.GetValue(priority), result.GetValue(preset)),
                result.GetValue(duration),
                result.GetValue(statsJson),
                result.GetValue(fade),
                out IReadOnlyList<string> problems,
                result.GetValue(testSignal),
                result.GetValue(bits),
                new SimulateOptions(result.GetValue(simulate), result.GetValue(script), result.GetValue(snapshotDir), result.GetValue(stateDir), KeyboardInput.IsTerminal, result.GetValue(boxProfile)),
                result.GetValue(remote),
                result.GetValue(record),
                new Remote.RemoteInputOptions(result.GetValue(midi), result.GetValue(midiMap), result.GetValue(osc), result.GetValue(oscAllow)));
            request = RunProtectionOptions.Apply(request, result.GetValue(latencyMode), result.GetValue(xrunLimit), ref problems);
            request = RunMonitorOptions.Apply(request, result.GetValue(monitor), result.GetValue(monitorOutput), result.GetValue(config), ref problems);
            request = RunDisplayOptions.Apply(request, result.GetValue(display), ref problems);
            request = RunReferenceOptions.Apply(request, result.GetValue(referenceDir), result.GetValue(config));
            request = RunChannelMapOptions.Apply(request, result.GetValue(channelMap), result.GetValue(config), ref problems);
            if (request is null)
            {
                foreach (string problem in problems)
                {
                    Cli.Error(problem);
                }

                return 2;
            }

            return RunHost.RunAsync(request).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Turns the config file and options into a request; every problem is one line in <paramref name="problems"/>.</summary>
    internal static RunRequest? Build(string? configPath, RunConfigurationOverrides overrides, double? durationSeconds, string? statsJson, double fadeMs, out IReadOnlyList<string> problems, string? testSignal = null, string? bits = null, SimulateOptions? simulate = null, string? remote = null, string? record = null, Remote.RemoteInputOptions? remoteInputs = null)
    {
        var lines = new List<string>();
        problems = lines;
        BoxRequest? box = null;
        if (simulate is { } sim)
        {
            if (sim.Simulate && sim.HardwareProfile is { } simulatedProfile)
            {
                // The profile's box with its parts simulated: keyboard and script play its pins.
                box = BuildHardwareBox(simulatedProfile, sim with { StateDirectory = null }, lines); // --state-dir: checked once, by BuildBox
                BoxRequest? simulated = BuildBox(sim, lines);
                box = box is null || simulated is null ? null : simulated with { Hardware = box.Hardware, SimulateHardware = true };
            }
            else if (sim.HardwareProfile is { } profile)
            {
                foreach ((string name, string? value) in new[] { ("--script", sim.ScriptPath), ("--snapshot-dir", sim.SnapshotDirectory) })
                {
                    if (value is not null)
                    {
                        lines.Add($"{name} needs --simulate");
                    }
                }

                box = BuildHardwareBox(profile, sim, lines);
            }
            else if (!sim.Simulate)
            {
                foreach ((string name, string? value) in new[] { ("--script", sim.ScriptPath), ("--snapshot-dir", sim.SnapshotDirectory) })
                {
                    if (value is not null)
                    {
                        lines.Add($"{name} needs --simulate or --box");
                    }
                }

                if (sim.StateDirectory is { } headlessState && SnapshotView.Check(headlessState) is { } stateProblem)
                {
                    lines.Add($"--state-dir {headlessState}: {stateProblem}"); // headless: presets, slots and the pairing secret
                }
            }
            else
            {
                box = BuildBox(sim, lines);
            }

            if (lines.Count > 0)
            {
                return null;
            }

            if (box is { Interactive: false } && durationSeconds is null && box.EffectiveScript is { } played)
            {
                durationSeconds = played.EndSeconds + BoxRequest.HoldSeconds; // without a terminal the run ends with its script
            }
        }

        RunConfiguration config = new();
        if (configPath is not null)
        {
            try
            {
                config = RunConfiguration.Load(configPath);
            }
            catch (ConfigurationException ex)
            {
                lines.AddRange(ex.Problems);
                return null;
            }
        }

        config = overrides.ApplyTo(config);
        bool isFile = config.Device.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (isFile && overrides.SampleRateHz is null && config.Device.Length > 5)
        {
            try
            {
                config = config with { SampleRateHz = FileAudioDevice.ProbeSampleRateHz(config.Device[5..]) };
            }
            catch (AudioFileException ex)
            {
                lines.Add(ex.Message);
                return null;
            }
        }

        lines.AddRange(config.Validate(configPath is null ? "options" : configPath + " + options"));
        if (durationSeconds is { } seconds && !(seconds > 0 && seconds < 1e7))
        {
            lines.Add($"--duration must be a positive number of seconds (got {seconds.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!(fadeMs >= 0 && fadeMs <= 5000))
        {
            lines.Add($"--fade-ms must be from 0 to 5000 (got {fadeMs.ToString(CultureInfo.InvariantCulture)})");
        }

        if (config.Output is { } prefixed && prefixed.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (isFile)
            {
                config = config with { Output = prefixed[5..] }; // --output file:X is the file X
            }
            else
            {
                lines.Add($"--output {prefixed}: a file output needs a file input (--device file:IN); with a {config.Device.Split(':')[0]} device --output names a playback device");
            }
        }

        string? audioInput = isFile && config.Device.Length > 5 ? config.Device[5..] : null;
        if (isFile && config.Output is { } outputFile)
        {
            if (AudioContainers.CheckOutput(outputFile, out OutputMode mode, audioInput) is string problem)
            {
                lines.Add($"--output {outputFile}: {problem}");
            }
            else
            {
                try
                {
                    AudioContainers.ForOutput(outputFile, mode);
                }
                catch (AudioFileException ex)
                {
                    lines.Add(ex.Message);
                }
            }
        }

        if (statsJson is not null)
        {
            string? audioOutput = isFile ? config.Output : null;
            if (audioOutput is not null && OutputFile.NameTheSameFile(statsJson, audioOutput))
            {
                lines.Add($"--stats-json {statsJson}: is the audio output (--output); refusing to replace the audio with the statistics");
            }
            else if (OutputFile.Check(statsJson, out _, audioInput) is string problem)
            {
                lines.Add($"--stats-json {statsJson}: {problem}");
            }
        }

        AudioSampleFormat? format = bits switch
        {
            null => null,
            "16" => AudioSampleFormat.S16LE,
            "24" => AudioSampleFormat.S24Packed3LE,
            "32" => AudioSampleFormat.S32LE,
            "32f" => AudioSampleFormat.Float32LE,
            _ => null,
        };
        if (bits is not null && format is null)
        {
            lines.Add($"--bits must be 16, 24, 32 or 32f (got '{bits}')");
        }

        if (testSignal is not null)
        {
            try
            {
                GeneratorAudioDevice.ParseSignal(testSignal, config.SampleRateHz);
            }
            catch (ArgumentException ex)
            {
                lines.Add($"--test-signal: {ex.Message}");
            }
        }

        // The device spec itself (unknown scheme, gen:bogus, an ALSA PCM that no configuration defines): rejected here, not retried later.
        if (!AudioDeviceFactory.TryValidate(config.Device, new AudioDeviceOptions(SampleRateHz: config.SampleRateHz, OutputName: isFile ? null : config.Output), out string? deviceProblem))
        {
            lines.Add(deviceProblem);
        }

        var remoteOptions = new Remote.RemoteInputOptions(
            remoteInputs?.Midi ?? config.Midi, remoteInputs?.MidiMap ?? config.MidiMap, remoteInputs?.Osc ?? config.Osc, remoteInputs?.OscAllow ?? config.OscAllow);
        Remote.RemoteInputs? inputs = Remote.RemoteInputs.Check(remoteOptions, StateDirectoryResolver.Resolve(simulate?.StateDirectory, config), Parameters.ParameterRegistry.Chain, lines);
        Preset? preset = null;
        try
        {
            preset = PresetResolver.Resolve(config.Preset);
        }
        catch (ConfigurationException ex)
        {
            lines.AddRange(ex.Problems);
        }

        if (lines.Count > 0)
        {
            return null;
        }

        var deviceOptions = new AudioDeviceOptions(
            Name: config.Device,
            SampleRateHz: config.SampleRateHz,
            BlockFrames: config.BlockFrames,
            Periods: config.Periods,
            RealtimePriority: config.RealtimePriority,
            LockMemory: config.RealtimePriority > 0,
            OutputName: config.Output,
            SampleFormat: format);
        long? maxFrames = durationSeconds is { } d ? (long)Math.Round(d * config.SampleRateHz) : null;
        var supervisor = new SupervisorOptions(config.Device, deviceOptions, maxFrames, (float)fadeMs, TestSignal: testSignal);

        // The word for float outputs, whose final word is unknown: none for a float file, 24 bits for a device (its
        // converter is at most 24-bit). Integer outputs get their own word from the supervisor once the format is known.
        int ditherBits = isFile ? 0 : 24;
        Recording.RecorderOptions? recordOptions = Recording.RunCommandRecording.Resolve(config, record, lines);
        if (lines.Count > 0)
        {
            return null;
        }

        var request = new RunRequest(supervisor, preset!, ditherBits, statsJson) { Box = box, Record = recordOptions, RemoteInputs = inputs };
        request = RemoteRunOptions.Apply(request, remote, simulate?.StateDirectory, config, lines);
        if (request is { Remote: null, RemoteInputs: not null })
        {
            // MIDI/OSC without the web page: the same hub, the same state folder.
            request = request with { Remote = new Remote.RemoteHub(Parameters.ParameterRegistry.Chain, StateDirectoryResolver.Resolve(simulate?.StateDirectory, config)) };
        }

        return request;
    }

    private static BoxRequest? BuildHardwareBox(string profilePath, SimulateOptions sim, List<string> lines)
    {
        HardwareProfile profile;
        try
        {
            string? file = profilePath == "default" ? null : HardwareProfileLoader.Resolve(profilePath);
            if (profilePath != "default" && file is null)
            {
                lines.Add($"--box {profilePath}: no such shipped profile (in {HardwareProfileLoader.ShippedProfileFolder}) and not a file path; give a .json file or a name from deploy-pi/profiles");
                return null;
            }

            profile = file is null ? HardwareProfile.CreatePi4Or5Default() : HardwareProfileLoader.Load(file);
            if (Host.PotParameters.CheckProfile(profile, Parameters.ParameterRegistry.Chain) is { } unknown)
            {
                lines.Add($"--box {file ?? profilePath}: {unknown}");
                return null;
            }
        }
        catch (HardwareProfileException ex)
        {
            lines.Add(ex.Message.Contains(profilePath, StringComparison.Ordinal) ? $"--box: {ex.Message}" : $"--box {profilePath}: {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lines.Add($"--box {profilePath}: cannot read it: {(ex is FileNotFoundException ? "no such file" : ex.Message)}");
            return null;
        }

        if (sim.StateDirectory is { } folder && SnapshotView.Check(folder) is { } problem)
        {
            lines.Add($"--state-dir {folder}: {problem}");
        }

        return lines.Count > 0 ? null : new BoxRequest(null, Interactive: false, null, sim.StateDirectory) { Hardware = profile };
    }

    private static BoxRequest? BuildBox(SimulateOptions sim, List<string> lines)
    {
        BoxScript? script = null;
        if (sim.ScriptPath is { } path)
        {
            try
            {
                script = BoxScript.Load(path);
            }
            catch (BoxScriptException ex)
            {
                lines.Add(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lines.Add($"--script {path}: cannot read it: {(ex is FileNotFoundException ? "no such file" : ex.Message)}");
            }
        }

        foreach ((string name, string? folder) in new[] { ("--snapshot-dir", sim.SnapshotDirectory), ("--state-dir", sim.StateDirectory) })
        {
            if (folder is not null && SnapshotView.Check(folder) is { } problem)
            {
                lines.Add($"{name} {folder}: {problem}");
            }
        }

        return lines.Count > 0 ? null : new BoxRequest(script, sim.Interactive, sim.SnapshotDirectory, sim.StateDirectory);
    }
}

/// <summary>Command-line values that override the configuration file (null = keep).</summary>
internal sealed record RunConfigurationOverrides(string? Device, string? Output, int? SampleRateHz, int? BlockFrames, int? Periods, int? RealtimePriority, string? Preset)
{
    /// <summary>Applies the non-null values.</summary>
    public RunConfiguration ApplyTo(RunConfiguration config) => config with
    {
        Device = Device ?? config.Device,
        Output = Output ?? config.Output,
        SampleRateHz = SampleRateHz ?? config.SampleRateHz,
        BlockFrames = BlockFrames ?? config.BlockFrames,
        Periods = Periods ?? config.Periods,
        RealtimePriority = RealtimePriority ?? config.RealtimePriority,
        Preset = Preset ?? config.Preset,
    };
}

/// <summary>The <c>--simulate</c> options of <c>run</c>.</summary>
/// <param name="Simulate">Run the whole box on this computer.</param>
/// <param name="ScriptPath">--script FILE, or null.</param>
/// <param name="SnapshotDirectory">--snapshot-dir DIR, or null.</param>
/// <param name="StateDirectory">--state-dir DIR, or null.</param>
/// <param name="Interactive">A terminal is attached.</param>
/// <param name="HardwareProfile">--box PROFILE (a profile file or "default"), or null.</param>
internal sealed record SimulateOptions(bool Simulate, string? ScriptPath, string? SnapshotDirectory, string? StateDirectory, bool Interactive, string? HardwareProfile = null);
