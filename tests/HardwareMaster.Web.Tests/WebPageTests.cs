using HardwareMaster.App.Parameters;
using Microsoft.Playwright;

namespace HardwareMaster.Web.Tests;

/// <summary>The page in a real headless browser (Debian chromium through Playwright) against a paced run of the box.</summary>
[Collection(nameof(BoxCollection))]
public sealed class WebPageTests(BoxUnderTest box)
{
    [Fact]
    public async Task Page_PairedOnAPhone_LoadsMetersMoveControlsReachTheEngineAndBypassToggles()
    {
        await using IBrowserContext context = await box.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, // a phone
            IsMobile = true,
            HasTouch = true,
        });
        IPage page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        // Unpaired: the pairing form (401), a wrong secret stays there, the right one opens the page.
        IResponse? first = await page.GotoAsync(box.Server.Address.ToString());
        Assert.Equal(401, first!.Status);
        await page.FillAsync("#secret", "0000-0000-0000-0000");
        await page.ClickAsync("#pair-button");
        await page.WaitForSelectorAsync("#pair-button");
        await page.FillAsync("#secret", box.Server.Secret.Display.ToLowerInvariant()); // case and dashes do not matter
        await page.ClickAsync("#pair-button");
        await page.WaitForSelectorAsync("#page-meters");

        // The meters move: the output peak text changes from frame to frame while pink noise plays.
        ILocator peak = page.Locator("#m-opl");
        await Assertions.Expect(peak).Not.ToHaveTextAsync("–", new() { Timeout = 60_000 });
        string before = await peak.InnerTextAsync();
        await WaitAsync(async () => await peak.InnerTextAsync() != before, "the output peak meter to move");
        await Assertions.Expect(page.Locator("#link")).ToHaveTextAsync("live");
        Assert.NotEqual("–", await page.Locator("#m-dist").InnerTextAsync());

        // Every registry parameter has a control, grouped by stage.
        await page.ClickAsync("nav button[data-page=params]");
        Assert.Equal(ParameterRegistry.Chain.Count, await page.Locator("#stages [data-id]").CountAsync());
        Assert.Equal(1, await page.Locator("details[data-stage=comp] [data-id='comp.threshold']").CountAsync());

        // Moving a control changes the engine's parameter (through the queue and the control thread).
        ParameterDefinition width = ParameterRegistry.Chain[ParameterIds.Width];
        double expected = width.Minimum + 0.75 * (width.Maximum - width.Minimum);
        await page.Locator("[data-id='width.width']").FillAsync("750");
        await BoxUnderTest.Until(() => Math.Abs(box.Value(ParameterIds.Width) - expected) < width.Step + 1e-9, $"width to become {expected}");

        // A stage bypass (a switch) and the global bypass toggle, on the box and on the page.
        double eqBefore = box.Value(ParameterIds.EqBypass);
        await page.Locator("[data-id='eq.bypass']").ClickAsync();
        await BoxUnderTest.Until(() => box.Value(ParameterIds.EqBypass) != eqBefore, "the EQ bypass to toggle");
        await page.Locator("[data-id='eq.bypass']").ClickAsync();
        await BoxUnderTest.Until(() => box.Value(ParameterIds.EqBypass) == eqBefore, "the EQ bypass to toggle back");

        ILocator bypass = page.Locator("#bypass-global");
        await Assertions.Expect(bypass).ToHaveAttributeAsync("aria-pressed", "false");
        await bypass.ClickAsync();
        await BoxUnderTest.Until(() => box.Hub.State.GlobalBypass, "global bypass on");
        await Assertions.Expect(bypass).ToHaveAttributeAsync("aria-pressed", "true");
        await bypass.ClickAsync();
        await BoxUnderTest.Until(() => !box.Hub.State.GlobalBypass, "global bypass off");
        await Assertions.Expect(bypass).ToHaveAttributeAsync("aria-pressed", "false");

        // Presets and user slots are listed; the system page shows the box's numbers.
        await page.ClickAsync("nav button[data-page=presets]");
        Assert.True(await page.Locator("#factory button").CountAsync() >= 5);
        Assert.Equal(8, await page.Locator("#slots button[data-slot]").CountAsync());
        await page.ClickAsync("nav button[data-page=system]");
        await Assertions.Expect(page.Locator("#system dd[data-key=stateDirectory]")).ToHaveTextAsync(box.StateDirectory);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Page_OnATablet_RecallsAFactoryPreset()
    {
        await using IBrowserContext context = await box.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + box.Server.Secret.Display },
        });
        IPage page = await context.NewPageAsync();
        IResponse? response = await page.GotoAsync(box.Server.Address.ToString());
        Assert.Equal(200, response!.Status);
        await page.ClickAsync("nav button[data-page=presets]");
        ILocator preset = page.Locator("#factory button").Nth(1);
        string name = await preset.InnerTextAsync();
        await preset.ClickAsync();
        await BoxUnderTest.Until(() => box.Hub.State.PresetName == name, $"preset {name} to be recalled");
        await Assertions.Expect(page.Locator("#preset-name")).ToHaveTextAsync(name);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        DateTime end = DateTime.UtcNow + BoxUnderTest.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < end, "timed out waiting for: " + what);
            await Task.Delay(50);
        }
    }
}
