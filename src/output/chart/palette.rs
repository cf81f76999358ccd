//! The colours every chart uses: text, grid and axes, the distribution chart's roles, and one
//! categorical series palette for anything drawn once per scenario, resource or group.

use plotters::style::RGBColor;

/// Titles, labels and legend text.
pub const TEXT: RGBColor = RGBColor(25, 25, 25);
/// Subtitles and secondary annotations.
pub const MUTED_TEXT: RGBColor = RGBColor(85, 85, 85);
/// Grid lines at labelled ticks.
pub const GRID: RGBColor = RGBColor(228, 228, 228);
/// Grid lines between labelled ticks.
pub const LIGHT_GRID: RGBColor = RGBColor(243, 243, 243);
/// Axis lines and tick marks.
pub const AXIS: RGBColor = RGBColor(110, 110, 110);
/// Bars (histograms; any filled bar a chart draws by default).
pub const BAR: RGBColor = RGBColor(164, 196, 230);
/// The main curve (S-curve; the first series).
pub const CURVE: RGBColor = RGBColor(22, 45, 115);
/// The deterministic plan.
pub const PLAN: RGBColor = RGBColor(75, 75, 75);
/// The median.
pub const P50: RGBColor = RGBColor(0, 128, 80);
/// The value at the confidence level (and the second series).
pub const PCONF: RGBColor = RGBColor(205, 60, 20);

/// The series colours, in order; cycled when there are more series.
const SERIES: [RGBColor; 9] = [
    CURVE,
    PCONF,
    P50,
    RGBColor(150, 60, 160),
    RGBColor(215, 150, 0),
    RGBColor(0, 150, 200),
    RGBColor(140, 90, 50),
    RGBColor(220, 60, 140),
    RGBColor(110, 110, 110),
];

/// The colour of series `i` (0 first: the baseline scenario, the first resource …).
pub fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}
