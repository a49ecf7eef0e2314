namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// A set of sections, each bound to a state slot, designed on the control thread and handed to the audio thread
/// (STYLE C3, channel 2). Preallocated to a processor's slot count and refilled in place: a processor keeps three and
/// passes them round as a triple buffer (<see cref="Processors.FilterStage"/>), so a redesign allocates nothing and
/// the audio thread never sees one being written.
/// </summary>
/// <remarks>
/// Slots let a processor keep each band's filter memory in the same place when other bands are
/// switched on or off, so toggling one band does not disturb the others.
/// </remarks>
internal sealed class CascadeDesign
{
    private readonly BiquadCoefficients[] _sections;
    private readonly int[] _slots;

    /// <summary>An empty design with room for <paramref name="capacity"/> sections.</summary>
    public CascadeDesign(int capacity)
    {
        _sections = new BiquadCoefficients[capacity];
        _slots = new int[capacity];
    }

    /// <summary>Number of sections.</summary>
    public int Count { get; private set; }

    /// <summary>Sections in processing order.</summary>
    public ReadOnlySpan<BiquadCoefficients> Sections => _sections.AsSpan(0, Count);

    /// <summary>State slot of each section (index into a processor's state array, two doubles per slot).</summary>
    public ReadOnlySpan<int> Slots => _slots.AsSpan(0, Count);

    /// <summary>Removes every section. Writer only (the design must not be published).</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends <paramref name="section"/> bound to state slot <paramref name="slot"/>. Writer only.</summary>
    /// <exception cref="InvalidOperationException">The design is full.</exception>
    public void Add(in BiquadCoefficients section, int slot)
    {
        if (Count == _sections.Length)
        {
            throw new InvalidOperationException("The cascade design is full.");
        }

        _sections[Count] = section;
        _slots[Count] = slot;
        Count++;
    }

    /// <summary>Appends <paramref name="sections"/> to consecutive slots starting at <paramref name="firstSlot"/>. Writer only.</summary>
    public void AddSequential(ReadOnlySpan<BiquadCoefficients> sections, int firstSlot)
    {
        for (int i = 0; i < sections.Length; i++)
        {
            Add(sections[i], firstSlot + i);
        }
    }
}
