using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HardwareMaster.Hal.Profile;

/// <summary>Accepts an integer as a JSON number or as a string in decimal or <c>0x</c> hexadecimal.</summary>
public sealed class HexIntJsonConverter : JsonConverter<int>
{
    /// <inheritdoc/>
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt32(out int number) ? number : throw new JsonException("expected an integer such as 60 or a string such as \"0x3C\"");
        }

        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null)
        {
            bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (int.TryParse(hex ? text.AsSpan(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }
        }

        throw new JsonException("expected a number or a string such as \"0x3C\"");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
        writer.WriteStringValue("0x" + value.ToString("X2", CultureInfo.InvariantCulture));
}
