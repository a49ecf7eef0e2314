using HardwareMaster.App.Remote.Midi;

namespace HardwareMaster.App.Ui;

/// <summary>
/// MIDI learn as the box's face drives it (implemented by <see cref="MidiRemoteService"/> when <c>run --midi</c> is on):
/// arm it for a parameter, the next control that moves is bound to it and saved to the learned map in the state folder.
/// </summary>
/// <remarks>Any thread: the face arms it on the UI thread, the MIDI reader thread completes it.</remarks>
public interface IMidiLearn
{
    /// <summary>Arms MIDI learn for registry entry <paramref name="parameterIndex"/> (−1 cancels).</summary>
    /// <param name="parameterIndex">The parameter.</param>
    void BeginLearn(int parameterIndex);

    /// <summary>Whether learn waits for a control to move.</summary>
    bool IsLearning { get; }

    /// <summary>Bumped each time a binding was learned or its encoding refined (the face shows <see cref="LastLearned"/> then).</summary>
    long LearnVersion { get; }

    /// <summary>The binding learned last, or null.</summary>
    MidiBinding? LastLearned { get; }
}
