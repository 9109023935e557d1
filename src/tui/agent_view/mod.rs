//! Agent-run views (stub).
use crate::agent::model::AgentRun;
pub async fn open_timeline(runs: Vec<AgentRun>) -> anyhow::Result<()> {
    let _ = runs;
    Ok(())
}
