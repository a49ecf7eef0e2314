using System.Drawing;
using Iot.Device.Graphics;

namespace HardwareMaster.Hal.Tests.Comparison;

/// <summary>
/// The smallest <see cref="IImageFactory"/> the library's <c>Ssd13xx</c> will construct with (it clears the screen
/// through a <see cref="BitmapImage"/> in its constructor): a 32-bit pixel array, no drawing API. The box would need
/// the SkiaSharp adapter package (not on the mirror) or this.
/// </summary>
internal sealed class ArrayImageFactory : IImageFactory
{
    public static readonly ArrayImageFactory Instance = new();

    public BitmapImage CreateBitmap(int width, int height, PixelFormat pixelFormat) => new ArrayImage(width, height, pixelFormat);

    public BitmapImage CreateFromStream(Stream file) => throw new NotSupportedException();

    private sealed class ArrayImage(int width, int height, PixelFormat format) : BitmapImage(width, height, width * 4, format)
    {
        private readonly int[] _pixels = new int[width * height];

        public override void SetPixel(int x, int y, Color color) => _pixels[(y * Width) + x] = color.ToArgb();

        public override Color GetPixel(int x, int y) => Color.FromArgb(_pixels[(y * Width) + x]);

        public override Span<byte> AsByteSpan() => System.Runtime.InteropServices.MemoryMarshal.AsBytes(_pixels.AsSpan());

        public override void SaveToStream(Stream stream, ImageFileType format) => throw new NotSupportedException();

        public override IGraphics GetDrawingApi() => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
        }
    }
}
