//! The HTML report's charts, drawn as inline SVG (no script, no external
//! file): violations per manager as horizontal bars stacked by rule, in
//! the report's manager order, with a legend and a tooltip per segment;
//! and, with a history, a line of violations per 10 deals over the last
//! runs for the department and for each manager.

use super::escape::html;
use super::lang::Words;
use super::text::{day_of, decimal};
use super::{ManagerReport, Report};
use crate::history::TrendPoint;
use std::fmt::Write;

/// One colour per rule, in rule-set order (repeating past the twentieth).
pub const PALETTE: [&str; 20] = [
    "#d1495b", "#edae49", "#00798c", "#30638e", "#8e6c8a", "#66a182", "#e07a5f", "#3d405b",
    "#b5838d", "#7a9e9f", "#f4a261", "#2a9d8f", "#a05195", "#9c6644", "#ffd166", "#118ab2",
    "#6a994e", "#bc4749", "#8d99ae", "#577590",
];

pub fn rule_color(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

const WIDTH: u32 = 960;
const LABEL: u32 = 210;
const BAR_AREA: u32 = 680;
const ROW: u32 = 30;
const BAR: u32 = 20;
const TOP: u32 = 26;
const LEGEND_ROW: u32 = 22;
const LEGEND_COLUMNS: usize = 3;

/// A step for the axis so that it has at most 10 ticks.
fn tick_step(max: usize) -> usize {
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|step| max / step <= 10)
        .unwrap_or(10_000)
}

fn shorten(name: &str, limit: usize) -> String {
    if name.chars().count() <= limit {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(limit - 1).collect();
        s.push('…');
        s
    }
}

/// The fonts of both charts, as a system has them.
const FONTS: &str =
    "Segoe UI, Roboto, Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif";

/// The bar chart's horizontal scale: violations from 0 to `top`, a
/// gridline each `step`.
struct Scale {
    top: usize,
    step: usize,
}

impl Scale {
    fn of(report: &Report) -> Scale {
        let max = report.managers.iter().map(|m| m.total).max().unwrap_or(0);
        let step = tick_step(max);
        Scale {
            top: max.div_ceil(step).max(1) * step,
            step,
        }
    }

    /// The length of `n` violations on the chart.
    fn of_count(&self, n: usize) -> f64 {
        n as f64 * BAR_AREA as f64 / self.top as f64
    }
}

/// The chart as an `<svg>` element.
pub fn svg(report: &Report) -> String {
    let scale = Scale::of(report);
    let rows = report.managers.len() as u32;
    let legend_rows = report.rules.len().div_ceil(LEGEND_COLUMNS) as u32;
    let plot_bottom = TOP + rows * ROW;
    let height = plot_bottom + 16 + legend_rows * LEGEND_ROW + 8;
    let label = super::lang::words(report.language).chart_label;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg id="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" font-family="{FONTS}" role="img" aria-label="{label}">"##
    );
    let _ = write!(s, "<title>{label}</title>");
    write_axis(&mut s, &scale, plot_bottom);
    for (row, m) in report.managers.iter().enumerate() {
        write_bar(&mut s, report, &scale, row, m);
    }
    write_legend(&mut s, report, plot_bottom);
    s.push_str("</svg>");
    s
}

/// Gridlines and their numbers.
fn write_axis(s: &mut String, scale: &Scale, plot_bottom: u32) {
    let mut tick = 0;
    while tick <= scale.top {
        let x = LABEL as f64 + scale.of_count(tick);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{plot_bottom}" stroke="#e2e4e8"/><text x="{x:.1}" y="{}" text-anchor="middle" font-size="11" fill="#6b7280">{tick}</text>"##,
            TOP - 6,
            TOP - 10
        );
        tick += scale.step;
    }
}

/// A manager's row: the name, a segment per rule violated, the total.
fn write_bar(s: &mut String, report: &Report, scale: &Scale, row: usize, m: &ManagerReport) {
    // The name of no manager in the report's language.
    let name = super::text::manager(&m.name, super::lang::words(report.language));
    let y = TOP + row as u32 * ROW + (ROW - BAR) / 2;
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1f2937"><title>{}</title>{}</text>"##,
        LABEL - 10,
        y + BAR / 2 + 5,
        html(name),
        html(&shorten(name, 26))
    );
    let mut x = LABEL as f64;
    for (i, rule) in report.rules.iter().enumerate() {
        let n = m.counts.get(rule.name).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let w = scale.of_count(n);
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{BAR}" fill="{}"><title>{}: {} {}, {n}</title></rect>"##,
            rule_color(i),
            html(name),
            html(&rule.code),
            rule.name
        );
        x += w;
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{}" font-size="12" font-weight="bold" fill="#1f2937">{}</text>"##,
        x + 6.0,
        y + BAR / 2 + 5,
        m.total
    );
}

/// Each rule's colour and name, in columns below the bars.
fn write_legend(s: &mut String, report: &Report, plot_bottom: u32) {
    for (i, rule) in report.rules.iter().enumerate() {
        let column = (i % LEGEND_COLUMNS) as u32;
        let line = (i / LEGEND_COLUMNS) as u32;
        let x = LABEL + column * (BAR_AREA / LEGEND_COLUMNS as u32);
        let y = plot_bottom + 16 + line * LEGEND_ROW;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12" fill="#374151">{} {}</text>"##,
            rule_color(i),
            x + 18,
            y + 11,
            html(&rule.code),
            rule.name
        );
    }
}

const TREND_WIDTH: f64 = 360.0;
const TREND_HEIGHT: f64 = 150.0;
const TREND_LEFT: f64 = 36.0;
const TREND_RIGHT: f64 = 12.0;
const TREND_TOP: f64 = 12.0;
const TREND_BOTTOM: f64 = 28.0;
const TREND_LINE: &str = "#30638e";

/// A round top for a trend's axis at or above `max`: 1, 2, 5, 10, 20, …
fn trend_top(max: f64) -> f64 {
    let mut top = 1.0;
    while top < max {
        top *= if (top as u64).to_string().starts_with('2') {
            2.5
        } else {
            2.0
        };
    }
    top
}

/// Where a trend's runs and values fall on its chart.
struct Plot {
    runs: usize,
    top: f64,
}

impl Plot {
    /// The run `i`'s place across; a lone run in the middle.
    fn x(&self, i: usize) -> f64 {
        let plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT;
        match self.runs {
            0 | 1 => TREND_LEFT + plot_w / 2.0,
            n => TREND_LEFT + plot_w * i as f64 / (n - 1) as f64,
        }
    }

    /// The value `v`'s height.
    fn y(&self, v: f64) -> f64 {
        let plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM;
        TREND_TOP + plot_h * (1.0 - v / self.top)
    }
}

/// A line chart of violations per 10 deals in work over `points` (oldest
/// first), as an `<svg>` element: the axis from 0 to `top` (else to the
/// points' own highest), a point per run with its numbers as a tooltip,
/// the first and last runs' dates below. A run without deals in work has
/// no point, and the line breaks there.
pub fn trend_svg(subject: &str, points: &[TrendPoint], top: Option<f64>, w: &Words) -> String {
    let highest = points
        .iter()
        .filter_map(|p| p.per_10_deals)
        .fold(0.0, f64::max);
    let plot = Plot {
        runs: points.len(),
        top: trend_top(top.unwrap_or(highest).max(highest)),
    };
    let label = (w.trend_label)(&html(subject));
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" width="100%" font-family="{FONTS}" role="img" aria-label="{label}"><title>{label}</title>"##
    );
    for value in [0.0, plot.top / 2.0, plot.top] {
        let _ = write!(
            s,
            r##"<line x1="{TREND_LEFT}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#e2e4e8"/><text x="{2}" y="{3:.1}" text-anchor="end" font-size="11" fill="#6b7280">{4}</text>"##,
            plot.y(value),
            TREND_WIDTH - TREND_RIGHT,
            TREND_LEFT - 6.0,
            plot.y(value) + 4.0,
            decimal(value, w)
        );
    }
    write_trend_line(&mut s, &plot, points);
    write_trend_points(&mut s, &plot, points, w);
    write_trend_dates(&mut s, &plot, points);
    s.push_str("</svg>");
    s
}

/// The line, broken where a run had no deals in work.
fn write_trend_line(s: &mut String, plot: &Plot, points: &[TrendPoint]) {
    let mut segment: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match p.per_10_deals {
            Some(v) => segment.push(format!("{:.1},{:.1}", plot.x(i), plot.y(v))),
            None => lines.push(std::mem::take(&mut segment)),
        }
    }
    lines.push(segment);
    for line in lines.iter().filter(|l| l.len() > 1) {
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="{TREND_LINE}" stroke-width="2"/>"##,
            line.join(" ")
        );
    }
}

/// A point per run with deals in work, its numbers as a tooltip.
fn write_trend_points(s: &mut String, plot: &Plot, points: &[TrendPoint], w: &Words) {
    for (i, p) in points.iter().enumerate() {
        let Some(v) = p.per_10_deals else { continue };
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{TREND_LINE}"><title>{}</title></circle>"##,
            plot.x(i),
            plot.y(v),
            html(&(w.trend_point)(
                &day_of(&p.as_of),
                &decimal(v, w),
                p.violations,
                p.deals_in_work.unwrap_or(0)
            ))
        );
    }
}

/// The first and the last run's dates below the line.
fn write_trend_dates(s: &mut String, plot: &Plot, points: &[TrendPoint]) {
    let mut dates = Vec::new();
    if let Some(first) = points.first() {
        dates.push((0, "start", first));
    }
    if let Some(last) = points.last().filter(|_| points.len() > 1) {
        dates.push((points.len() - 1, "end", last));
    }
    for (i, anchor, p) in dates {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" text-anchor="{anchor}" font-size="11" fill="#6b7280">{}</text>"##,
            plot.x(i),
            TREND_HEIGHT - 8.0,
            html(&day_of(&p.as_of))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &Words = super::super::lang::EN_WORDS;

    #[test]
    fn trend_axes_end_on_round_numbers() {
        assert_eq!(trend_top(0.0), 1.0);
        assert_eq!(trend_top(1.0), 1.0);
        assert_eq!(trend_top(1.5), 2.0);
        assert_eq!(trend_top(3.0), 5.0);
        assert_eq!(trend_top(7.5), 10.0);
        assert_eq!(trend_top(12.0), 20.0);
        assert_eq!(trend_top(41.0), 50.0);
    }

    fn point(run: i64, violations: i64, deals: i64) -> TrendPoint {
        TrendPoint::new(
            run,
            &format!("2026-11-{:02}T02:00:00+03:00", 20 + run),
            violations,
            Some(deals),
        )
    }

    #[test]
    fn a_trend_is_a_line_through_a_point_per_run_broken_where_there_were_no_deals() {
        // 2 of 4 deals is 5 per 10; 1 of 4 is 2.5; no deals: no point;
        // 3 of 4 is 7.5. The axis goes to 10: 5 sits halfway up.
        let points = [
            point(1, 2, 4),
            point(2, 1, 4),
            point(3, 0, 0),
            point(4, 3, 4),
        ];
        let svg = trend_svg("Петров <Алексей>", &points, None, EN);
        assert_eq!(svg.matches("<circle").count(), 3);
        // One line of two points, and none through the run without deals.
        assert_eq!(svg.matches("<polyline").count(), 1);
        let plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM;
        let half = format!("{:.1},{:.1}", TREND_LEFT, TREND_TOP + plot_h / 2.0);
        assert!(svg.contains(&half), "{svg}");
        assert!(svg
            .contains("<title>21.11.2026: 5 per 10 deals (2 violations, 4 deals in work)</title>"));
        assert!(svg.contains(">21.11.2026</text>") && svg.contains(">24.11.2026</text>"));
        assert!(svg.contains("Петров &lt;Алексей&gt;") && !svg.contains("<Алексей>"));
        assert_eq!(svg, trend_svg("Петров <Алексей>", &points, None, EN));
        // A moment the history holds that is not RFC 3339 shows as escaped text.
        let odd = [TrendPoint::new(1, "<b>1</b>", 1, Some(2))];
        let svg = trend_svg("x", &odd, None, EN);
        assert!(
            svg.contains("&lt;b&gt;1&lt;/b&gt;") && !svg.contains("<b>"),
            "{svg}"
        );
    }

    #[test]
    fn axis_steps_stay_readable() {
        assert_eq!(tick_step(0), 1);
        assert_eq!(tick_step(10), 1);
        assert_eq!(tick_step(11), 2);
        assert_eq!(tick_step(45), 5);
        assert_eq!(tick_step(230), 50);
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("Петров Алексей", 26), "Петров Алексей");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
