namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// A private ALSA configuration for tests (no sound card needed), loaded into the process before any ALSA, PortAudio or
/// JACK call: <c>ALSA_CONFIG_PATH</c> = alsa.conf first, then ours, set in the native environment (.NET keeps its own copy
/// on Unix). Defines <c>hm_fileout</c>/<c>hm_filein</c> (ALSA's file plugin over an inline null slave) and <c>hm_jack</c>
/// (JACK ports as arguments), plus what a subclass adds. Shared by Hal.Tests and App.Tests (linked file).
/// </summary>
public abstract class TestAlsaConfiguration : IDisposable
{
    /// <param name="prefix">Name prefix of the temporary directory.</param>
    /// <param name="extraPcms">More PCM definitions, given the directory (for files the PCMs use).</param>
    protected TestAlsaConfiguration(string prefix, Func<string, string> extraPcms)
    {
        Directory = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ConfigPath = Path.Combine(Directory, "asound.conf");
        File.WriteAllText(ConfigPath, """
            # Test PCMs: ALSA's file plugin over an inline null slave (no sound card needed).
            pcm.hm_fileout {
                @args [ FILE ]
                @args.FILE { type string }
                type file
                slave { pcm { type null } }
                file $FILE
                format "raw"
            }
            pcm.hm_filein {
                @args [ FILE ]
                @args.FILE { type string }
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile $FILE
                format "raw"
            }
            # JACK ports are arguments so the test can pass the names it discovered (quote them: they contain colons).
            pcm.hm_jack {
                @args [ P1 P2 C1 C2 ]
                @args.P1 { type string default "system:playback_1" }
                @args.P2 { type string default "system:playback_2" }
                @args.C1 { type string default "system:capture_1" }
                @args.C2 { type string default "system:capture_2" }
                type jack
                playback_ports { 0 $P1 1 $P2 }
                capture_ports { 0 $C1 1 $C2 }
            }

            """ + extraPcms(Directory));
        TestNativeEnvironment.Set("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:" + ConfigPath);
        TestNativeEnvironment.Set("JACK_NO_START_SERVER", "1");
    }

    /// <summary>The temporary directory (config and test files).</summary>
    public string Directory { get; }

    /// <summary>The test asound.conf.</summary>
    public string ConfigPath { get; }

    /// <summary>A fresh file path in <see cref="Directory"/>.</summary>
    public string NewPath(string name) => Path.Combine(Directory, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
