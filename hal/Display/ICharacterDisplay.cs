namespace HardwareMaster.Hal.Display;

/// <summary>A character display (HD44780 LCD) that shows <see cref="CharacterScreen"/>s.</summary>
public interface ICharacterDisplay : IDisposable
{
    /// <summary>Columns.</summary>
    int Columns { get; }

    /// <summary>Rows.</summary>
    int Rows { get; }

    /// <summary>Makes the display show <paramref name="screen"/>. Implementations send only the characters that changed and do not allocate.</summary>
    /// <param name="screen">A screen of <see cref="Columns"/> × <see cref="Rows"/>.</param>
    /// <exception cref="System.IO.IOException">The bus transfer failed; the next call repairs the screen.</exception>
    void Present(CharacterScreen screen);
}
