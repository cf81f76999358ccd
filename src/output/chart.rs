//! TEMPORARY STUB (replaced by the real chart module).
pub struct DistributionChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub sorted: &'a [f64],
    pub deterministic: f64,
    pub p50: f64,
    pub confidence: f64,
    pub at_confidence: f64,
}
#[derive(Debug, thiserror::Error)]
#[error("could not draw chart: {0}")]
pub struct ChartError(pub String);
pub fn render_png(_chart: &DistributionChart) -> Result<Vec<u8>, ChartError> {
    Ok(Vec::new())
}
