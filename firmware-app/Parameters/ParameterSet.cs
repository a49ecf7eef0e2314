namespace HardwareMaster.App.Parameters;

/// <summary>
/// A complete set of values for every parameter of a <see cref="ParameterRegistry"/>, starting at the defaults.
/// </summary>
/// <remarks>Not thread-safe: owned by the control thread; the engine receives changes as messages.</remarks>
public sealed class ParameterSet
{
    private readonly double[] _values;

    /// <summary>A set holding every default of <paramref name="registry"/>.</summary>
    public ParameterSet(ParameterRegistry registry)
    {
        Registry = registry;
        _values = new double[registry.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = registry.All[i].Default;
        }
    }

    /// <summary>The registry the values belong to.</summary>
    public ParameterRegistry Registry { get; }

    /// <summary>Value of parameter <paramref name="id"/>.</summary>
    public double this[string id]
    {
        get => _values[Registry.IndexOf(id)];
        set => Set(id, value);
    }

    /// <summary>Value by registry index.</summary>
    public double Get(int index) => _values[index];

    /// <summary>A switch's value as a bool.</summary>
    public bool IsOn(string id) => this[id] >= 0.5;

    /// <summary>Sets <paramref name="id"/> to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the parameter's range; the message names id, value and range.</exception>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    public void Set(string id, double value)
    {
        int index = Registry.IndexOf(id);
        ParameterDefinition definition = Registry.All[index];
        if (!definition.IsValid(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{id} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside {definition.RangeText}");
        }

        _values[index] = value;
    }

    /// <summary>A copy that can be changed independently.</summary>
    public ParameterSet Clone()
    {
        var copy = new ParameterSet(Registry);
        _values.CopyTo(copy._values, 0);
        return copy;
    }
}
