//! The volume histogram: the server's counts, or the loaded lines counted when it cannot.

use crate::model::MetricResult;

use super::super::app::App;
use super::super::msg::Command;
use super::super::volume::{Volume, step_for};

/// Buckets of the volume histogram.
pub const VOLUME_BUCKETS: i64 = 120;

pub fn local_volume(app: &mut App) {
    if let Some(req) = &app.logs.results.req {
        let step = step_for(req.start_ns, req.end_ns, VOLUME_BUCKETS);
        app.volume.histogram = Some(Volume::from_store(
            &app.logs.results.store,
            req.start_ns,
            req.end_ns,
            step,
        ));
    }
}

/// Whether the volume query of the current generation is still running.
pub fn volume_loading(app: &App) -> bool {
    app.volume.pending == Some(app.status.generation)
}

pub fn volume_finished(
    app: &mut App,
    generation: u64,
    result: Result<MetricResult, String>,
) -> Vec<Command> {
    if generation != app.status.generation {
        return Vec::new();
    }
    app.volume.pending = None;
    match result {
        Ok(m) => {
            if let Some(req) = &app.logs.results.req {
                let step = step_for(req.start_ns, req.end_ns, VOLUME_BUCKETS);
                app.volume.histogram =
                    Some(Volume::from_metric(&m, req.start_ns, req.end_ns, step));
            }
        }
        Err(e) => {
            app.volume.error = Some(e);
            if app.status.running.is_none() && app.logs.results.loaded {
                local_volume(app);
            }
        }
    }
    Vec::new()
}
