namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// The test ALSA configuration of Hal.Tests (<see cref="TestAlsaConfiguration"/>) plus two fixed file PCMs for PortAudio,
/// which cannot pass PCM arguments. Every test that touches ALSA, PortAudio or JACK belongs to <see cref="AlsaCollection"/>
/// and runs serially.
/// </summary>
public sealed class AlsaTestEnvironment : TestAlsaConfiguration
{
    public AlsaTestEnvironment()
        : base("hm-alsa-", static directory => $$"""
            pcm.hm_pa_out {
                type file
                slave { pcm { type null } }
                file "{{Path.Combine(directory, "pa-out.raw")}}"
                format "raw"
                hint { show on description "HardwareMaster test playback to a raw file" }
            }
            pcm.hm_pa_in {
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile "{{Path.Combine(directory, "pa-in.raw")}}"
                format "raw"
                hint { show on description "HardwareMaster test capture from a raw file" }
            }
            """)
    {
        PortAudioInputPath = Path.Combine(Directory, "pa-in.raw");
        PortAudioOutputPath = Path.Combine(Directory, "pa-out.raw");
        File.WriteAllBytes(PortAudioInputPath, new byte[4096]);
    }

    public string PortAudioInputPath { get; }

    public string PortAudioOutputPath { get; }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AlsaCollection : ICollectionFixture<AlsaTestEnvironment>
{
    public const string Name = "ALSA, PortAudio and JACK (process-wide ALSA config)";
}
