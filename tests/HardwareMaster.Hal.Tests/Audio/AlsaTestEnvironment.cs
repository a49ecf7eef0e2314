using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// Loads the test ALSA configuration (alsa.conf first, then ours) into the process environment before any ALSA or
/// PortAudio call. .NET keeps its own copy of the environment on Unix, so the native one is set with setenv.
/// Every test that touches ALSA, PortAudio or JACK belongs to <see cref="AlsaCollection"/> and runs serially.
/// </summary>
public sealed partial class AlsaTestEnvironment : IDisposable
{
    public AlsaTestEnvironment()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hm-alsa-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        PortAudioInputPath = Path.Combine(Directory, "pa-in.raw");
        PortAudioOutputPath = Path.Combine(Directory, "pa-out.raw");
        File.WriteAllBytes(PortAudioInputPath, new byte[4096]);
        ConfigPath = Path.Combine(Directory, "asound.conf");
        File.WriteAllText(ConfigPath, $$"""
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
            pcm.hm_pa_out {
                type file
                slave { pcm { type null } }
                file "{{PortAudioOutputPath}}"
                format "raw"
                hint { show on description "HardwareMaster test playback to a raw file" }
            }
            pcm.hm_pa_in {
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile "{{PortAudioInputPath}}"
                format "raw"
                hint { show on description "HardwareMaster test capture from a raw file" }
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
            """);
        TestNativeEnvironment.Set("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:" + ConfigPath);
        TestNativeEnvironment.Set("JACK_NO_START_SERVER", "1");
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string PortAudioInputPath { get; }

    public string PortAudioOutputPath { get; }

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
    }

}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AlsaCollection : ICollectionFixture<AlsaTestEnvironment>
{
    public const string Name = "ALSA, PortAudio and JACK (process-wide ALSA config)";
}
