//! Loss and accuracy curves, drawn with plotters on the page's canvas. Two panels side by side,
//! training (a line per chunk of steps) and test (a marker per epoch), against epochs. Points
//! that are not finite are never stored: a diverged run stops the chart, it does not fill it
//! with NaN.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

use super::plain;

/// Okabe–Ito blue and vermillion: told apart by every kind of colour vision; the test series
/// also differs in shape (markers), so colour is never the only cue.
const TRAIN: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const TEST: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

#[wasm_bindgen]
#[derive(Default)]
pub struct Curves {
    /// (epochs, loss, accuracy)
    train: Vec<(f64, f64, f64)>,
    test: Vec<(f64, f64, f64)>,
}

/// The chart's words, in the page's language.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug)]
pub struct CurveLabels {
    pub loss: String,
    pub accuracy: String,
    pub epochs: String,
    pub train: String,
    pub test: String,
}

#[wasm_bindgen]
impl CurveLabels {
    #[wasm_bindgen(constructor)]
    pub fn new(loss: String, accuracy: String, epochs: String, train: String, test: String) -> CurveLabels {
        CurveLabels { loss, accuracy, epochs, train, test }
    }
}

#[wasm_bindgen]
impl Curves {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Curves {
        Curves::default()
    }

    /// Add a training point; one that is not finite is refused (returns false).
    #[wasm_bindgen(js_name = pushTrain)]
    pub fn push_train(&mut self, epochs: f64, loss: f32, accuracy: f32) -> bool {
        push(&mut self.train, epochs, loss, accuracy)
    }

    #[wasm_bindgen(js_name = pushTest)]
    pub fn push_test(&mut self, epochs: f64, loss: f32, accuracy: f32) -> bool {
        push(&mut self.test, epochs, loss, accuracy)
    }

    pub fn clear(&mut self) {
        self.train.clear();
        self.test.clear();
    }

    /// Points held: [train, test].
    pub fn counts(&self) -> Vec<usize> {
        vec![self.train.len(), self.test.len()]
    }

    /// Draw both panels on `canvas` (sized by the page in device pixels); `scale` is the device
    /// pixel ratio, so text keeps its size on high-density screens.
    pub fn draw(&self, canvas: web_sys::HtmlCanvasElement, labels: &CurveLabels, scale: f64) -> Result<(), JsValue> {
        let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| plain("the curves canvas has no 2-D context"))?;
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (left, right) = root.split_horizontally(root.dim_in_pixel().0 / 2);
        let max_x = self.train.iter().chain(&self.test).map(|p| p.0).fold(1.0f64, f64::max);
        let max_loss = self.train.iter().chain(&self.test).map(|p| p.1).fold(0.5f64, f64::max) * 1.05;
        self.panel(&left, labels, &labels.loss, max_x, 0.0..max_loss, |p| p.1, scale)?;
        self.panel(&right, labels, &labels.accuracy, max_x, 0.0..1.0, |p| p.2, scale)?;
        root.present().map_err(draw_error)
    }
}

impl Curves {
    #[allow(clippy::too_many_arguments)]
    fn panel(
        &self,
        area: &DrawingArea<CanvasBackend, plotters::coord::Shift>,
        labels: &CurveLabels,
        title: &str,
        max_x: f64,
        y: std::ops::Range<f64>,
        value: impl Fn(&(f64, f64, f64)) -> f64,
        scale: f64,
    ) -> Result<(), JsValue> {
        let px = |v: f64| (v * scale).round() as i32;
        let font = |size: f64| ("sans-serif", size * scale).into_font();
        let mut chart = ChartBuilder::on(area)
            .caption(title, font(15.0))
            .margin(px(8.0))
            .x_label_area_size(px(34.0))
            .y_label_area_size(px(44.0))
            .build_cartesian_2d(0.0..max_x, y)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(labels.epochs.as_str())
            .label_style(font(11.0))
            .axis_desc_style(font(12.0))
            .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
            .draw()
            .map_err(draw_error)?;
        let line = ShapeStyle::from(TRAIN).stroke_width(px(2.0).max(1) as u32);
        chart
            .draw_series(LineSeries::new(self.train.iter().map(|p| (p.0, value(p))), line))
            .map_err(draw_error)?
            .label(labels.train.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], line));
        let test_line = ShapeStyle::from(TEST).stroke_width(px(2.0).max(1) as u32);
        let r = px(3.5).max(2);
        chart.draw_series(LineSeries::new(self.test.iter().map(|p| (p.0, value(p))), test_line)).map_err(draw_error)?;
        chart
            .draw_series(self.test.iter().map(|p| Circle::new((p.0, value(p)), r, TEST.filled())))
            .map_err(draw_error)?
            .label(labels.test.as_str())
            .legend(move |(x, y)| Circle::new((x + 9, y), r, TEST.filled()));
        chart
            .configure_series_labels()
            .label_font(font(11.0))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(0xCC, 0xCC, 0xCC))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(draw_error)?;
        Ok(())
    }
}

fn push(series: &mut Vec<(f64, f64, f64)>, epochs: f64, loss: f32, accuracy: f32) -> bool {
    let ok = epochs.is_finite() && loss.is_finite() && accuracy.is_finite();
    if ok {
        series.push((epochs, loss as f64, accuracy as f64));
    }
    ok
}

fn draw_error<E: std::fmt::Debug>(e: E) -> JsValue {
    plain(&format!("drawing the curves failed: {e:?}"))
}
