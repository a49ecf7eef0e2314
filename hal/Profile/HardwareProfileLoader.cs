using System.IO;
using System.Text;
using System.Text.Json;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.Hal.Profile;

/// <summary>A hardware profile could not be read or is inconsistent. The message is one line naming the file, the JSON path and the problem.</summary>
public sealed class HardwareProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: file, path, problem.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public HardwareProfileException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Reads, validates and writes <see cref="HardwareProfile"/> JSON (source-generated, AOT-safe).</summary>
public static class HardwareProfileLoader
{
    /// <summary>Pins no control may use: HAT ID EEPROM (0, 1), I²C1 (2, 3) and I²S (18–21).</summary>
    public static IReadOnlyDictionary<int, string> AlwaysReservedPins { get; } = new Dictionary<int, string>
    {
        [0] = "the HAT ID EEPROM (ID_SD)",
        [1] = "the HAT ID EEPROM (ID_SC)",
        [2] = "I2C1 SDA (display and HAT codec)",
        [3] = "I2C1 SCL (display and HAT codec)",
        [18] = "I2S PCM_CLK (BCLK)",
        [19] = "I2S PCM_FS (LRCLK)",
        [20] = "I2S PCM_DIN (ADC data)",
        [21] = "I2S PCM_DOUT (DAC data)",
    };

    /// <summary>Where the .deb installs the shipped profiles (deploy-pi/profiles/*.json).</summary>
    public const string ShippedProfileFolder = "/usr/share/hardwaremaster/profiles";

    /// <summary>
    /// The file for <c>run --box NAME</c>: a path (anything with a '/' or ending in ".json") is used as given; a bare
    /// name is a shipped profile, looked up in <paramref name="folders"/> (default: <c>$HARDWAREMASTER_PROFILES</c>,
    /// then <see cref="ShippedProfileFolder"/>, then <c>profiles/</c> beside the binary).
    /// </summary>
    /// <param name="nameOrPath">The argument.</param>
    /// <param name="folders">Folders to search (tests).</param>
    /// <returns>The path, or null when a bare name matches no shipped profile.</returns>
    public static string? Resolve(string nameOrPath, IReadOnlyList<string>? folders = null)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return nameOrPath;
        }

        folders ??= [Environment.GetEnvironmentVariable("HARDWAREMASTER_PROFILES") ?? "", ShippedProfileFolder, Path.Combine(AppContext.BaseDirectory, "profiles")];
        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, nameOrPath + ".json");
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Loads and validates a profile file (a regular file of at most 1 MiB; devices and FIFOs are refused unopened).</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="HardwareProfileException">The file is missing, malformed or inconsistent.</exception>
    public static HardwareProfile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path);
        }
        catch (BoundedFileException exception)
        {
            throw new HardwareProfileException($"{(path.Length == 0 ? "(empty file name)" : path)}: cannot read the hardware profile: {exception.Problem}", exception);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates profile JSON.</summary>
    /// <param name="json">The text.</param>
    /// <param name="sourceName">File name used in messages.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="HardwareProfileException">The JSON is malformed or inconsistent.</exception>
    public static HardwareProfile Parse(string json, string sourceName = "hardware profile")
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] bytes;
        try
        {
            bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(json);
        }
        catch (EncoderFallbackException exception)
        {
            throw new HardwareProfileException($"{sourceName}: the text holds a lone UTF-16 surrogate; it is not valid Unicode", exception);
        }

        return Parse(bytes, sourceName);
    }

    /// <summary>Parses and validates profile JSON given as UTF-8 bytes.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <param name="sourceName">File name used in messages.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="HardwareProfileException">The JSON is malformed (also: duplicate keys, lone surrogates, nesting deeper than <see cref="StrictJson.MaxDepth"/>), has unknown keys or wrong types, or is inconsistent.</exception>
    public static HardwareProfile Parse(ReadOnlyMemory<byte> utf8, string sourceName = "hardware profile")
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (utf8.Span.StartsWith(bom))
        {
            utf8 = utf8[3..];
        }

        try
        {
            StrictJson.Parse(utf8, sourceName).Dispose();
        }
        catch (StrictJsonException exception)
        {
            throw new HardwareProfileException(exception.Message, exception);
        }

        HardwareProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(utf8.Span, HardwareProfileJsonContext.Default.HardwareProfile);
        }
        catch (JsonException exception)
        {
            string where = exception.Path ?? "$";
            string line = exception.LineNumber is long l ? $" (line {l + 1})" : "";
            throw new HardwareProfileException($"{sourceName}: {where}{line}: {FirstSentence(exception.Message)}", exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            throw new HardwareProfileException($"{sourceName}: $: {FirstSentence(exception.Message)}", exception);
        }

        if (profile is null)
        {
            throw new HardwareProfileException($"{sourceName}: $: the profile is empty (null).");
        }

        Validate(profile, sourceName);
        return profile;
    }

    /// <summary>Serialises a profile as indented JSON.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(HardwareProfile profile) => JsonSerializer.Serialize(profile, HardwareProfileJsonContext.Default.HardwareProfile);

    /// <summary>Checks pin ranges, duplicates, reserved pins and the display settings.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="sourceName">File name used in messages.</param>
    /// <exception cref="HardwareProfileException">The first problem found.</exception>
    public static void Validate(HardwareProfile profile, string sourceName = "hardware profile")
    {
        ArgumentNullException.ThrowIfNull(profile);
        NotNull(profile.Name, "$.name", sourceName);
        NotNull(profile.Encoders, "$.encoders", sourceName);
        NotNull(profile.Buttons, "$.buttons", sourceName);
        NotNull(profile.Leds, "$.leds", sourceName);
        NotNull(profile.ReservedPins, "$.reservedPins", sourceName);
        NotNull(profile.I2cDevices, "$.i2cDevices", sourceName);
        NotNull(profile.Expanders, "$.expanders", sourceName);
        for (int i = 0; i < profile.Encoders.Count; i++)
        {
            NotNull(profile.Encoders[i], $"$.encoders[{i}]", sourceName);
            NotNull(profile.Encoders[i].Name, $"$.encoders[{i}].name", sourceName);
        }

        for (int i = 0; i < profile.Buttons.Count; i++)
        {
            NotNull(profile.Buttons[i], $"$.buttons[{i}]", sourceName);
            NotNull(profile.Buttons[i].Name, $"$.buttons[{i}].name", sourceName);
        }

        for (int i = 0; i < profile.Leds.Count; i++)
        {
            NotNull(profile.Leds[i], $"$.leds[{i}]", sourceName);
            NotNull(profile.Leds[i].Name, $"$.leds[{i}].name", sourceName);
        }

        var used = new Dictionary<int, string>();
        var reserved = new Dictionary<int, string>(AlwaysReservedPins);
        for (int i = 0; i < profile.ReservedPins.Count; i++)
        {
            int pin = profile.ReservedPins[i];
            CheckRange(pin, $"$.reservedPins[{i}]", sourceName);
            reserved.TryAdd(pin, "a pin listed in reservedPins");
        }

        // I²C addresses: the display, the HAT's chips and the expanders may not share one on a bus.
        var addresses = new Dictionary<(int Bus, int Address), string>();
        var expanders = new Dictionary<string, int>(StringComparer.Ordinal);
        var expanderPins = new Dictionary<(string Expander, int Pin), string>();
        var outputOnly = new HashSet<string>(StringComparer.Ordinal); // MCP23017s: GPA7/GPB7 are output only
        if (profile.Display is DisplaySettings shown)
        {
            addresses[(shown.I2cBus, shown.Address)] = "$.display.address";
        }

        for (int i = 0; i < profile.I2cDevices.Count; i++)
        {
            NotNull(profile.I2cDevices[i], $"$.i2cDevices[{i}]", sourceName);
            ClaimAddress(profile.I2cDevices[i].I2cBus, profile.I2cDevices[i].Address, $"$.i2cDevices[{i}].address");
        }

        for (int i = 0; i < profile.Expanders.Count; i++)
        {
            ExpanderSettings expander = profile.Expanders[i];
            NotNull(expander, $"$.expanders[{i}]", sourceName);
            NotNull(expander.Name, $"$.expanders[{i}].name", sourceName);
            if (!Enum.IsDefined(expander.Chip))
            {
                throw new HardwareProfileException($"{sourceName}: $.expanders[{i}].chip: unknown chip (use \"mcp23017\", \"mcp23008\", \"pcf8574\" or \"pcf8575\").");
            }

            if (!expanders.TryAdd(expander.Name, expander.Chip is Expanders.ExpanderChip.Mcp23017 or Expanders.ExpanderChip.Pcf8575 ? 16 : 8))
            {
                throw new HardwareProfileException($"{sourceName}: $.expanders[{i}].name: \"{expander.Name}\" names two expanders.");
            }

            if (expander.Chip == Expanders.ExpanderChip.Mcp23017)
            {
                outputOnly.Add(expander.Name);
            }

            ClaimAddress(expander.I2cBus, expander.Address, $"$.expanders[{i}].address");
            if (expander.InterruptPin is int interrupt)
            {
                Claim(interrupt, $"$.expanders[{i}].interruptPin");
            }
        }

        // Pots: one ADS1115 per (bus, address), claimed once; each input used once.
        NotNull(profile.Pots, "$.pots", sourceName);
        var potInputs = new Dictionary<(int Bus, int Address, int Channel), string>();
        for (int i = 0; i < profile.Pots.Count; i++)
        {
            PotSettings pot = profile.Pots[i];
            NotNull(pot, $"$.pots[{i}]", sourceName);
            NotNull(pot.Name, $"$.pots[{i}].name", sourceName);
            if (string.IsNullOrWhiteSpace(pot.Parameter))
            {
                throw new HardwareProfileException($"{sourceName}: $.pots[{i}].parameter: a pot needs the id of the parameter it moves (\"input.gain\").");
            }

            if (pot.Address is < 0x48 or > 0x4B)
            {
                throw new HardwareProfileException($"{sourceName}: $.pots[{i}].address: 0x{pot.Address:X2} is not an ADS1115 address (0x48-0x4B).");
            }

            if (pot.Channel is < 0 or > 3)
            {
                throw new HardwareProfileException($"{sourceName}: $.pots[{i}].channel: {pot.Channel} is not an ADS1115 input (0-3).");
            }

            if (!potInputs.TryAdd((pot.I2cBus, pot.Address, pot.Channel), $"$.pots[{i}]"))
            {
                throw new HardwareProfileException($"{sourceName}: $.pots[{i}].channel: input {pot.Channel} of the ADS1115 at 0x{pot.Address:X2} is already used by {potInputs[(pot.I2cBus, pot.Address, pot.Channel)]}.");
            }

            if (!potInputs.Keys.Any(k => k.Bus == pot.I2cBus && k.Address == pot.Address && k.Channel != pot.Channel))
            {
                ClaimAddress(pot.I2cBus, pot.Address, $"$.pots[{i}].address");
            }
        }

        for (int i = 0; i < profile.Encoders.Count; i++)
        {
            EncoderPins encoder = profile.Encoders[i];
            Claim(encoder.PinA, $"$.encoders[{i}].pinA", encoder.Expander, input: true);
            Claim(encoder.PinB, $"$.encoders[{i}].pinB", encoder.Expander, input: true);
            if (encoder.PinSwitch is int pinSwitch)
            {
                Claim(pinSwitch, $"$.encoders[{i}].pinSwitch", encoder.Expander, input: true);
            }

            if (encoder.TransitionsPerDetent is not (1 or 2 or 4))
            {
                throw new HardwareProfileException($"{sourceName}: $.encoders[{i}].transitionsPerDetent: {encoder.TransitionsPerDetent} is not 1, 2 or 4.");
            }
        }

        for (int i = 0; i < profile.Buttons.Count; i++)
        {
            Claim(profile.Buttons[i].Pin, $"$.buttons[{i}].pin", profile.Buttons[i].Expander, input: true);
        }

        for (int i = 0; i < profile.Leds.Count; i++)
        {
            Claim(profile.Leds[i].Pin, $"$.leds[{i}].pin", profile.Leds[i].Expander);
        }

        if (profile.Display is DisplaySettings display)
        {
            if (display.I2cBus < 0)
            {
                throw new HardwareProfileException($"{sourceName}: $.display.i2cBus: {display.I2cBus} is not a bus number.");
            }

            if (display.Address is < 0x08 or > 0x77)
            {
                throw new HardwareProfileException($"{sourceName}: $.display.address: 0x{display.Address:X2} is outside the 7-bit range 0x08-0x77 (the SSD1306/SH1106/SSD1309 use 0x3C or 0x3D, an LCD backpack 0x27 or 0x3F).");
            }

            CheckCharacterDisplay(display, sourceName);

            if (display.Rotation is not (0 or 180))
            {
                throw new HardwareProfileException($"{sourceName}: $.display.rotation: {display.Rotation} is not 0 or 180.");
            }

            if (!Enum.IsDefined(display.Type))
            {
                throw new HardwareProfileException($"{sourceName}: $.display.type: unknown controller (use \"ssd1306\", \"sh1106\", \"ssd1309\" or \"hd44780\").");
            }
        }

        void ClaimAddress(int bus, int address, string path)
        {
            if (address is < 0x08 or > 0x77)
            {
                throw new HardwareProfileException($"{sourceName}: {path}: 0x{address:X2} is outside the 7-bit range 0x08-0x77.");
            }

            if (!addresses.TryAdd((bus, address), path))
            {
                throw new HardwareProfileException($"{sourceName}: {path}: I2C address 0x{address:X2} on bus {bus} is already used by {addresses[(bus, address)]}.");
            }
        }

        void Claim(int pin, string path, string? expander = null, bool input = false)
        {
            if (expander is not null)
            {
                if (!expanders.TryGetValue(expander, out int pins))
                {
                    throw new HardwareProfileException($"{sourceName}: {path}: no expander named \"{expander}\" in $.expanders.");
                }

                if (pin < 0 || pin >= pins)
                {
                    throw new HardwareProfileException($"{sourceName}: {path}: {pin} is not a pin of expander \"{expander}\" (0-{pins - 1}).");
                }

                if (input && pin is (7 or 15) && outputOnly.Contains(expander))
                {
                    throw new HardwareProfileException($"{sourceName}: {path}: pin {pin} ({(pin == 7 ? "GPA7" : "GPB7")}) of the MCP23017 \"{expander}\" is output only (Microchip DS20001952D); use it for an LED.");
                }

                if (!expanderPins.TryAdd((expander, pin), path))
                {
                    throw new HardwareProfileException($"{sourceName}: {path}: pin {pin} of expander \"{expander}\" is already used by {expanderPins[(expander, pin)]}.");
                }

                return;
            }

            CheckRange(pin, path, sourceName);
            if (reserved.TryGetValue(pin, out string? reason))
            {
                throw new HardwareProfileException($"{sourceName}: {path}: GPIO {pin} is reserved for {reason}; pick another pin (see hal/README.md).");
            }

            if (used.TryGetValue(pin, out string? other))
            {
                throw new HardwareProfileException($"{sourceName}: {path}: GPIO {pin} is already used by {other}.");
            }

            used.Add(pin, path);
        }
    }

    // A character LCD needs its size and a PCF8574 address; an OLED takes neither a size nor an LCD address range.
    private static void CheckCharacterDisplay(DisplaySettings display, string sourceName)
    {
        if (display.Type != Display.OledController.Hd44780)
        {
            if (display.Columns is not null || display.Rows is not null)
            {
                string path = display.Columns is not null ? "columns" : "rows";
                throw new HardwareProfileException($"{sourceName}: $.display.{path}: only a character LCD (\"type\": \"hd44780\") has columns and rows; a {display.Type.ToString().ToLowerInvariant()} is 128x64 pixels.");
            }

            return;
        }

        if (display.Columns is not (16 or 20))
        {
            throw new HardwareProfileException($"{sourceName}: $.display.columns: {(display.Columns is int c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}; an hd44780 display needs 16 or 20 (16x2 and 20x4 modules).");
        }

        if (display.Rows is not (2 or 4))
        {
            throw new HardwareProfileException($"{sourceName}: $.display.rows: {(display.Rows is int r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}; an hd44780 display needs 2 or 4.");
        }

        if (display.Address is not ((>= 0x20 and <= 0x27) or (>= 0x38 and <= 0x3F)))
        {
            throw new HardwareProfileException($"{sourceName}: $.display.address: 0x{display.Address:X2} is not a PCF8574 backpack address (0x20-0x27, or 0x38-0x3F for a PCF8574A; usually 0x27 or 0x3F).");
        }

        if (display.Rotation != 0)
        {
            throw new HardwareProfileException($"{sourceName}: $.display.rotation: a character LCD cannot be rotated (use 0).");
        }
    }

    private static void NotNull(object? value, string path, string sourceName)
    {
        if (value is null)
        {
            throw new HardwareProfileException($"{sourceName}: {path}: must not be null.");
        }
    }

    private static void CheckRange(int pin, string path, string sourceName)
    {
        if (pin is < 0 or > 27)
        {
            throw new HardwareProfileException($"{sourceName}: {path}: {pin} is not a header GPIO (BCM 0-27).");
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". Path:", StringComparison.Ordinal);
        string text = end > 0 ? message.Substring(0, end) : message;
        return text.ReplaceLineEndings(" ");
    }
}
