//! The one loop: `select!` over terminal events, results from background tasks, signals and a
//! spinner tick (only while busy); `update` every message, execute the commands, and draw once
//! per burst of messages.

mod tasks;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, MouseEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::agent::fetch::{agents_query, replay_query};
use crate::agent::model::{BuildOptions, build_runs_with};
use crate::backend::Backend;
use crate::model::{Direction, QueryOutput, QueryRange};
use crate::session::Session;

use super::app::App;
use super::msg::{Command, Msg, PageKind};
use super::update::update;
use super::{export, history, render, terminal};
pub use tasks::panel_answer;
use tasks::spawn_query;

/// Background work in flight, so a new query can abort the old one.
#[derive(Default)]
struct Tasks {
    query: Option<JoinHandle<()>>,
    page: Option<JoinHandle<()>>,
    volume: Option<JoinHandle<()>>,
    tail: Option<JoinHandle<()>>,
    export: Option<JoinHandle<()>>,
    /// The dashboard's panel queries of the generation on screen.
    panels: Vec<JoinHandle<()>>,
}

fn abort(h: &mut Option<JoinHandle<()>>) {
    if let Some(h) = h.take() {
        h.abort();
    }
}

struct Runner {
    backend: Backend,
    app_label: String,
    build: Arc<BuildOptions>,
    tx: UnboundedSender<Msg>,
    tasks: Tasks,
    history_path: Option<PathBuf>,
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) if m.kind == MouseEventKind::Moved => None,
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        _ => None,
    }
}

impl Runner {
    fn execute(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Quit => return false,
            Command::RunQuery {
                generation,
                page,
                req,
                boundary,
            } => {
                let slot = if page == PageKind::First {
                    abort(&mut self.tasks.page);
                    &mut self.tasks.query
                } else {
                    &mut self.tasks.page
                };
                abort(slot);
                *slot = Some(spawn_query(
                    self.backend.clone(),
                    self.tx.clone(),
                    generation,
                    page,
                    req,
                    boundary,
                ));
            }
            Command::CancelQuery => {
                abort(&mut self.tasks.query);
                abort(&mut self.tasks.page);
                abort(&mut self.tasks.volume);
            }
            Command::FetchVolume { generation, req } => {
                abort(&mut self.tasks.volume);
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                self.tasks.volume = Some(tokio::spawn(async move {
                    let result = match b.query(&req, Arc::new(|_| {})).await {
                        Ok((QueryOutput::Metric(m), _)) => Ok(m),
                        Ok(_) => Err("volume query returned lines".to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Msg::VolumeFinished { generation, result });
                }));
            }
            Command::FetchLabels { start_ns, end_ns } => {
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let r = b.labels(start_ns, end_ns).await.map_err(|e| e.to_string());
                    let _ = tx.send(Msg::LabelsFinished(r));
                });
            }
            Command::FetchLabelValues {
                name,
                start_ns,
                end_ns,
            } => {
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let result = b
                        .label_values(&name, start_ns, end_ns, None)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::LabelValuesFinished { name, result });
                });
            }
            Command::FetchContext {
                generation,
                queries,
            } => {
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let result = crate::backend::drill::fetch_context(&b, &queries)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::ContextFinished { generation, result });
                });
            }
            Command::StartTail { generation, opts } => {
                abort(&mut self.tasks.tail);
                let mut rx = crate::tail::spawn(self.backend.clone(), opts);
                let tx = self.tx.clone();
                self.tasks.tail = Some(tokio::spawn(async move {
                    let mut failed = false;
                    while let Some(first) = rx.recv().await {
                        let mut events = vec![first];
                        while let Ok(e) = rx.try_recv() {
                            events.push(e);
                        }
                        failed |= events
                            .iter()
                            .any(|e| matches!(e, crate::tail::TailEvent::Failed(..)));
                        if tx.send(Msg::TailBatch { generation, events }).is_err() {
                            return;
                        }
                    }
                    if !failed {
                        let ended = crate::tail::TailEvent::Failed("the live tail ended".into(), 1);
                        let _ = tx.send(Msg::TailBatch {
                            generation,
                            events: vec![ended],
                        });
                    }
                }));
            }
            Command::StopTail => abort(&mut self.tasks.tail),
            Command::FetchPanels {
                generation,
                queries,
            } => {
                for h in self.tasks.panels.drain(..) {
                    h.abort();
                }
                self.tasks.panels =
                    tasks::spawn_panels(&self.backend, &self.tx, generation, queries);
            }
            Command::ScheduleRefresh {
                generation,
                after_ms,
            } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(after_ms)).await;
                    let _ = tx.send(Msg::DashboardRefresh { generation });
                });
            }
            Command::FetchAgent {
                generation,
                agent_id,
                start_ns,
                range,
            } => {
                abort(&mut self.tasks.query);
                let query = if agent_id.is_empty() {
                    agents_query(&self.app_label, None)
                } else {
                    replay_query(&self.app_label, &agent_id)
                };
                let req = QueryRange {
                    query,
                    start_ns: range.0,
                    end_ns: range.1,
                    limit: 0,
                    direction: Direction::Forward,
                    step_ms: None,
                    instant: false,
                };
                let (b, tx, opts) = (
                    self.backend.clone(),
                    self.tx.clone(),
                    Arc::clone(&self.build),
                );
                self.tasks.query = Some(tokio::spawn(async move {
                    let result = match b.query(&req, Arc::new(|_| {})).await {
                        Ok((QueryOutput::Streams(entries), _)) => {
                            tokio::task::spawn_blocking(move || build_runs_with(&entries, &opts))
                                .await
                                .map_err(|e| e.to_string())
                        }
                        Ok(_) => Err("the agent query returned a metric".to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Msg::AgentFinished {
                        generation,
                        agent_id,
                        start_ns,
                        result,
                    });
                }));
            }
            Command::Copy(text) => terminal::write_raw(&export::osc52(&text)),
            Command::Export {
                path,
                format,
                chunks,
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::ExportFinished(export::export_to(
                        &path, &chunks, format,
                    )));
                });
            }
            Command::ExportRange { path, format, req } => {
                abort(&mut self.tasks.export);
                self.tasks.export = Some(tokio::spawn(tasks::export_range(
                    self.backend.clone(),
                    self.tx.clone(),
                    path,
                    format,
                    req,
                )));
            }
            Command::MinePatterns {
                generation,
                query,
                chunks,
                start_ns,
                end_ns,
            } => {
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let result =
                        super::drill::patterns::fetch(&b, query, chunks, start_ns, end_ns).await;
                    let _ = tx.send(Msg::PatternsFinished { generation, result });
                });
            }
            Command::SampleFields {
                generation,
                query,
                chunks,
                start_ns,
                end_ns,
            } => {
                let (b, tx) = (self.backend.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let result =
                        super::drill::fields::fetch(&b, query, chunks, start_ns, end_ns).await;
                    let _ = tx.send(Msg::FieldsFinished { generation, result });
                });
            }
            Command::SaveHistory(q) => {
                if let Some(p) = self.history_path.clone() {
                    tokio::task::spawn_blocking(move || {
                        let _ = history::append(&p, &q);
                    });
                }
            }
        }
        true
    }
}

/// Runs until the user quits, the terminal's events end, or SIGTERM/SIGHUP arrives; the
/// caller restores the terminal. `events` is crossterm's `EventStream` on a real terminal.
pub async fn run<B, E>(
    terminal: &mut Terminal<B>,
    mut events: E,
    app: &mut App,
    session: &Session,
    history_path: Option<PathBuf>,
    initial: Vec<Command>,
) -> anyhow::Result<()>
where
    B: ratatui::backend::Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    E: Stream<Item = std::io::Result<Event>> + Unpin,
{
    use tokio::signal::unix::{SignalKind, signal};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let clock = session.clock();
    let mut runner = Runner {
        backend: session.backend.clone(),
        app_label: session.app.clone(),
        build: Arc::new(session.build_options().unwrap_or_default()),
        tx,
        tasks: Tasks::default(),
        history_path,
    };
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    for c in initial {
        runner.execute(c);
    }
    terminal.draw(|f| render::render(f, app))?;
    let mut running = true;
    while running && !app.quit {
        let busy = app.status.busy();
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(e)) => to_msg(e),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(m) = rx.recv() => Some(m),
            _ = tick.tick(), if busy => Some(Msg::Tick),
            _ = sigterm.recv() => break,
            _ = sighup.recv() => break,
        };
        let Some(first) = first else {
            continue;
        };
        // coalesce: handle everything already waiting, then draw once
        let mut pending = vec![first];
        while let Ok(m) = rx.try_recv() {
            pending.push(m);
        }
        for msg in pending {
            app.now_ns = clock();
            for c in update(app, msg) {
                running &= runner.execute(c);
            }
        }
        if running && !app.quit {
            terminal.draw(|f| render::render(f, app))?;
        }
    }
    for h in [
        &mut runner.tasks.query,
        &mut runner.tasks.page,
        &mut runner.tasks.volume,
        &mut runner.tasks.tail,
        &mut runner.tasks.export,
    ] {
        abort(h);
    }
    for h in runner.tasks.panels.drain(..) {
        h.abort();
    }
    Ok(())
}

#[cfg(test)]
mod tests;
