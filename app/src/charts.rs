//! Report charts rendered on the server as SVG with the `plotters` crate (SSR only): bar
//! charts (grouped or stacked) over named categories and line charts over a sequence.
//! The SVG keeps its text as `<text>` in `sans-serif`, so the browser draws Chinese and
//! English labels with its own fonts; the `viewBox` lets CSS scale it to its panel.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// One named series of values (one per category or point).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values.
    pub values: Vec<f64>,
}

/// The house palette (accessible on white; matches the CSS tones).
const PALETTE: [RGBColor; 6] = [
    RGBColor(29, 78, 216),
    RGBColor(22, 163, 74),
    RGBColor(234, 88, 12),
    RGBColor(220, 38, 38),
    RGBColor(124, 58, 237),
    RGBColor(100, 116, 139),
];

/// Colour of series `i`.
fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

const WIDTH: u32 = 760;
const HEIGHT: u32 = 320;
const FONT: &str = "sans-serif";

fn y_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    // A little headroom, rounded up to a readable step.
    let raw = v * 1.1;
    let mag = 10f64.powf(raw.log10().floor());
    (raw / mag).ceil() * mag
}

/// Bars over `labels`: side by side per category, or stacked when `stacked`.
pub fn bars(labels: &[String], series: &[Series], stacked: bool, y_desc: &str) -> String {
    let mut svg = String::new();
    if let Err(e) = draw_bars(&mut svg, labels, series, stacked, y_desc) {
        tracing::error!(error = %e, "bar chart failed");
        return String::new();
    }
    svg
}

fn draw_bars(
    svg: &mut String,
    labels: &[String],
    series: &[Series],
    stacked: bool,
    y_desc: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = labels.len().max(1);
    let top = (0..n)
        .map(|i| {
            let at = |s: &Series| s.values.get(i).copied().unwrap_or(0.0);
            if stacked {
                series.iter().map(at).sum::<f64>()
            } else {
                series.iter().map(at).fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((0..n).into_segmented(), 0f64..y_max(top))?;
    let every = n.div_ceil(12).max(1);
    let fmt = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if i % every == 0 => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(241, 245, 249))
        .bold_line_style(RGBColor(226, 232, 240))
        .x_labels(n)
        .x_label_formatter(&fmt)
        .y_desc(y_desc)
        .label_style((FONT, 15).into_font().color(&RGBColor(71, 85, 105)))
        .axis_desc_style((FONT, 15).into_font().color(&RGBColor(71, 85, 105)))
        .draw()?;
    let groups = series.len().max(1) as f64;
    for (k, s) in series.iter().enumerate() {
        let c = color(k);
        let rects = (0..n).filter_map(|i| {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            if v <= 0.0 {
                return None;
            }
            let (lo, hi) = if stacked {
                let below: f64 = series[..k]
                    .iter()
                    .map(|o| o.values.get(i).copied().unwrap_or(0.0))
                    .sum();
                (below, below + v)
            } else {
                (0.0, v)
            };
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i), lo),
                    (SegmentValue::Exact(i + 1), hi),
                ],
                c.filled(),
            );
            // Side by side: each series takes its share of the category's width.
            let width = (WIDTH as f64 - 80.0) / n as f64;
            let (left, right) = if stacked {
                ((width * 0.15) as i32, (width * 0.15) as i32)
            } else {
                let share = width * 0.8 / groups;
                let left = width * 0.1 + share * k as f64;
                (left as i32, (width - left - share) as i32)
            };
            r.set_margin(0, 0, left.max(0) as u32, right.max(0) as u32);
            Some(r)
        });
        chart
            .draw_series(rects)?
            .label(s.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
    }
    if series.len() > 1 {
        legend(&mut chart)?;
    }
    root.present()?;
    Ok(())
}

/// The series legend, top right (drawn only when there is more than one series).
fn legend<'a, DB, CT>(chart: &mut ChartContext<'a, DB, CT>) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(203, 213, 225))
        .label_font((FONT, 15))
        .draw()
        .map_err(|e| e.to_string())
}

/// Lines over `labels` (points in order).
pub fn lines(labels: &[String], series: &[Series], y_desc: &str) -> String {
    let mut svg = String::new();
    if let Err(e) = draw_lines(&mut svg, labels, series, y_desc) {
        tracing::error!(error = %e, "line chart failed");
        return String::new();
    }
    svg
}

fn draw_lines(
    svg: &mut String,
    labels: &[String],
    series: &[Series],
    y_desc: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = labels.len().max(1);
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0..n.saturating_sub(1).max(1), 0f64..y_max(top))?;
    let fmt = |i: &usize| labels.get(*i).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(241, 245, 249))
        .bold_line_style(RGBColor(226, 232, 240))
        .x_labels(n.min(8))
        .x_label_formatter(&fmt)
        .y_desc(y_desc)
        .label_style((FONT, 15).into_font().color(&RGBColor(71, 85, 105)))
        .axis_desc_style((FONT, 15).into_font().color(&RGBColor(71, 85, 105)))
        .draw()?;
    for (k, s) in series.iter().enumerate() {
        let c = color(k);
        let points: Vec<(usize, f64)> = s.values.iter().copied().enumerate().collect();
        chart
            .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], c.stroke_width(2)));
        if points.len() <= 62 {
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, c.filled())))?;
        }
    }
    if series.len() > 1 {
        legend(&mut chart)?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_render_labels_legend_and_one_rect_per_value() {
        let labels = vec!["咨询".to_owned(), "投诉".to_owned(), "故障申告".to_owned()];
        let series = vec![
            Series {
                name: "电话".into(),
                values: vec![3.0, 1.0, 0.0],
            },
            Series {
                name: "自助服务".into(),
                values: vec![2.0, 0.0, 4.0],
            },
        ];
        let svg = bars(&labels, &series, true, "工单数");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("viewBox"));
        for text in ["咨询", "故障申告", "电话", "自助服务", "工单数"] {
            assert!(svg.contains(text), "{text} missing");
        }
        // Four non-zero values → four bars (+ two legend swatches + the background).
        let filled = svg.matches("<rect").count();
        assert!(filled >= 4 + 2, "{filled}");
    }

    #[test]
    fn lines_render_every_series() {
        let labels: Vec<String> = (1..=5).map(|d| format!("12-0{d}")).collect();
        let svg = lines(
            &labels,
            &[Series {
                name: "工单".into(),
                values: vec![1.0, 4.0, 2.0, 0.0, 3.0],
            }],
            "件",
        );
        assert!(svg.contains("<polyline") || svg.contains("<path"), "{svg}");
        assert!(svg.contains("12-01"));
        assert_eq!(y_max(0.0), 1.0);
        assert_eq!(y_max(9.0), 10.0);
        assert_eq!(y_max(120.0), 200.0);
    }
}
