using HardwareMaster.Hal.Tests.Audio;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>
/// The test ALSA configuration for engine tests (<see cref="TestAlsaConfiguration"/>, shared with Hal.Tests): file PCMs over a
/// null slave and the jack PCM. Every test that touches ALSA or JACK in this project belongs to
/// <see cref="EngineAlsaCollection"/> and runs serially.
/// </summary>
public sealed class EngineAlsaEnvironment() : TestAlsaConfiguration("hm-engine-alsa-", static _ => string.Empty);

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineAlsaCollection : ICollectionFixture<EngineAlsaEnvironment>
{
    public const string Name = "Engine on ALSA and JACK (process-wide ALSA config)";
}
