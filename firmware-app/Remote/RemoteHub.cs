using HardwareMaster.App.Box;
using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Remote;

/// <summary>
/// The meeting point of every remote control path (MIDI, OSC, web) and the box: commands in
/// (<see cref="Commands"/>), state out (<see cref="State"/>). Created by <c>run</c> when a remote path is enabled;
/// the box's UI loop (or, without a face, <see cref="RemoteControlLoop"/>) serves it once per frame through a
/// <see cref="RemoteSession"/>.
/// </summary>
public sealed class RemoteHub
{
    /// <summary>Creates a hub.</summary>
    /// <param name="registry">The parameters remote clients may read and set.</param>
    /// <param name="stateDirectory">Where presets, user slots and the pairing secret live (null = the box's default).</param>
    /// <param name="capacity">Commands queued at most.</param>
    public RemoteHub(ParameterRegistry registry, string? stateDirectory = null, int capacity = 256)
    {
        Commands = new RemoteCommandQueue(capacity);
        State = new RemoteStateFeed(registry);
        StateDirectory = stateDirectory ?? BoxPresetStore.DefaultStateDirectory;
    }

    /// <summary>Commands from remote threads to the control thread.</summary>
    public RemoteCommandQueue Commands { get; }

    /// <summary>Meters and values from the control thread to remote threads.</summary>
    public RemoteStateFeed State { get; }

    /// <summary>Where presets, user slots and the pairing secret live.</summary>
    public string StateDirectory { get; }

    /// <summary>The pairing secret the web page accepts, as shown (set when the web server starts; null = none). The SYSTEM page shows it. Any thread.</summary>
    public string? PairingSecret
    {
        get => Volatile.Read(ref _pairingSecret);
        set => Volatile.Write(ref _pairingSecret, value);
    }

    /// <summary>The MIDI input's learn (set when <c>run --midi</c> builds it; null = no MIDI). The box's face arms it. Any thread.</summary>
    public Ui.IMidiLearn? MidiLearn
    {
        get => Volatile.Read(ref _midiLearn);
        set => Volatile.Write(ref _midiLearn, value);
    }

    private string? _pairingSecret;
    private Ui.IMidiLearn? _midiLearn;
}
