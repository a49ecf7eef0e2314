using System.Runtime.InteropServices;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>
/// The test ALSA configuration for engine tests (the approach of Hal.Tests' AlsaTestEnvironment): ALSA's file plugin
/// over an inline null slave, and the jack PCM; loaded with the native ALSA_CONFIG_PATH (alsa.conf first). Every test
/// that touches ALSA or JACK in this project belongs to <see cref="EngineAlsaCollection"/> and runs serially.
/// </summary>
public sealed partial class EngineAlsaEnvironment : IDisposable
{
    public EngineAlsaEnvironment()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hm-engine-alsa-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ConfigPath = Path.Combine(Directory, "asound.conf");
        File.WriteAllText(ConfigPath, """
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
        HardwareMaster.App.Host.NativeEnvironment.Set("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:" + ConfigPath);
        HardwareMaster.App.Host.NativeEnvironment.Set("JACK_NO_START_SERVER", "1");
    }

    public string Directory { get; }

    public string ConfigPath { get; }

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
public sealed class EngineAlsaCollection : ICollectionFixture<EngineAlsaEnvironment>
{
    public const string Name = "Engine on ALSA and JACK (process-wide ALSA config)";
}
