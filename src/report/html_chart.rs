//! The HTML report's chart: violations per manager as horizontal bars
//! stacked by rule, drawn as inline SVG (no script, no external file), in
//! the report's manager order, with a legend and a tooltip per segment.

use super::escape::html;
use super::Report;
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

/// The chart as an `<svg>` element.
pub fn svg(report: &Report) -> String {
    let max = report.managers.iter().map(|m| m.total).max().unwrap_or(0);
    let step = tick_step(max);
    let top = max.div_ceil(step).max(1) * step;
    let scale = |n: usize| n as f64 * BAR_AREA as f64 / top as f64;
    let rows = report.managers.len() as u32;
    let legend_rows = report.rules.len().div_ceil(LEGEND_COLUMNS) as u32;
    let plot_bottom = TOP + rows * ROW;
    let height = plot_bottom + 16 + legend_rows * LEGEND_ROW + 8;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg id="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" font-family="Segoe UI, Roboto, Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif" role="img" aria-label="Violations per manager, stacked by rule">"##
    );
    s.push_str("<title>Violations per manager, stacked by rule</title>");
    // Axis: gridlines and their numbers.
    let mut tick = 0;
    while tick <= top {
        let x = LABEL as f64 + scale(tick);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{plot_bottom}" stroke="#e2e4e8"/><text x="{x:.1}" y="{}" text-anchor="middle" font-size="11" fill="#6b7280">{tick}</text>"##,
            TOP - 6,
            TOP - 10
        );
        tick += step;
    }
    for (row, m) in report.managers.iter().enumerate() {
        let y = TOP + row as u32 * ROW + (ROW - BAR) / 2;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1f2937"><title>{}</title>{}</text>"##,
            LABEL - 10,
            y + BAR / 2 + 5,
            html(&m.name),
            html(&shorten(&m.name, 26))
        );
        let mut x = LABEL as f64;
        for (i, rule) in report.rules.iter().enumerate() {
            let n = m.counts.get(rule.name).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = scale(n);
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{BAR}" fill="{}"><title>{}: {} {}, {n}</title></rect>"##,
                rule_color(i),
                html(&m.name),
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
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
