namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// An immutable set of sections, each bound to a state slot, designed on the control thread and
/// published to the audio thread by reference (STYLE C3, channel 2).
/// </summary>
/// <remarks>
/// Slots let a processor keep each band's filter memory in the same place when other bands are
/// switched on or off, so toggling one band does not disturb the others.
/// </remarks>
internal sealed class CascadeDesign
{
    public static readonly CascadeDesign Empty = new([], []);

    public CascadeDesign(BiquadCoefficients[] sections, int[] slots)
    {
        Sections = sections;
        Slots = slots;
    }

    /// <summary>Sections in processing order.</summary>
    public BiquadCoefficients[] Sections { get; }

    /// <summary>State slot of each section (index into a processor's state array, two doubles per slot).</summary>
    public int[] Slots { get; }

    public static CascadeDesign Sequential(BiquadCoefficients[] sections)
    {
        var slots = new int[sections.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = i;
        }

        return new CascadeDesign(sections, slots);
    }
}
