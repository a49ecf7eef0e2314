using System.Globalization;
using HardwareMaster.App.Box;

namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// Numbered, self-checking parameter states for the save tests: generation <c>g</c> sets the trim and the three bell
/// gains all to the same value derived from <c>g</c>, so a loaded preset is either one whole generation or it is garbage
/// (a mix of two saves would show different values).
/// </summary>
internal static class PresetGenerations
{
    /// <summary>Distinct generations before the values repeat.</summary>
    public const int Period = 241;

    private static readonly string[] Ids = ["trim.gain", "eq.bell1.gain", "eq.bell2.gain", "eq.bell3.gain"];

    /// <summary>Sets the backend to generation <paramref name="generation"/>.</summary>
    public static void Set(FakeBoxBackend backend, int generation)
    {
        double value = -12 + (Mod(generation) * 0.1);
        foreach (string id in Ids)
        {
            backend[id] = value;
        }

        // A length that varies with the generation, so truncations and half-written files differ between saves.
        backend["comp.threshold"] = -(1 + (Mod(generation) % 40 / 3.0));
    }

    /// <summary>The generation the backend holds (mod <see cref="Period"/>), or null when its values are not one generation.</summary>
    public static int? Of(FakeBoxBackend backend)
    {
        int? generation = null;
        foreach (string id in Ids)
        {
            int g = (int)Math.Round((backend[id] + 12) / 0.1);
            if (generation is not null && generation != g)
            {
                return null;
            }

            generation = g;
        }

        return generation;
    }

    /// <summary>A generation number reduced to 0 … <see cref="Period"/> − 1.</summary>
    public static int Mod(int generation) => ((generation % Period) + Period) % Period;

    /// <summary>Reads slot <paramref name="slot"/> of <paramref name="directory"/> with a fresh store and returns its generation (null: empty; throws on garbage).</summary>
    public static int? LoadSlot(string directory, int slot, out string? problem)
    {
        var backend = new FakeBoxBackend();
        Set(backend, Period / 2); // something no test saves, so "nothing applied" cannot pass for a generation
        var store = new BoxPresetStore(backend, directory);
        bool recalled = store.RecallUser(slot);
        problem = store.LastProblem;
        if (!recalled)
        {
            return null;
        }

        return Of(backend) ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"slot {slot + 1} loaded a mix of generations"));
    }

    /// <summary>Restores the last state of <paramref name="directory"/> with a fresh store and returns its generation (null: nothing).</summary>
    public static int? LoadState(string directory, out string? problem)
    {
        var backend = new FakeBoxBackend();
        Set(backend, Period / 2);
        var store = new BoxPresetStore(backend, directory);
        bool loaded = store.LoadState();
        problem = store.LastProblem;
        if (!loaded)
        {
            return null;
        }

        return Of(backend) ?? throw new InvalidOperationException("the last state is a mix of generations");
    }
}
