//! The async runtime the commands run on, started so that an OS that refuses threads (a small
//! `ulimit -v` or `ulimit -u`, memory exhausted) ends the command with a message and exit 1
//! instead of a panic: tokio panics ("OS can't spawn worker thread") when it cannot start a
//! worker or a blocking thread and has none to fall back on.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Once;

use tokio::runtime::{Builder, Runtime};

use super::CliError;
use crate::backend::{is_thread_refusal, panic_text};

/// What the user reads when a thread was refused.
fn refused(detail: &str) -> CliError {
    CliError::runtime(format!(
        "the system refused to start a thread ({detail}): too little memory or address space"
    ))
    .with_hint("raise the limits this runs under (`ulimit -v`, `ulimit -u`) or free some memory")
}

/// Keeps tokio's and rayon's thread-refusal panics off stderr (once per process): they are reported as
/// an error where they are caught. Every other panic is printed as before.
fn quiet_thread_refusals() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if panic_text(info.payload()).is_some_and(is_thread_refusal) {
                return;
            }
            previous(info);
        }));
    });
}

/// A multi-thread runtime; a current-thread one (no worker threads to start) when the OS
/// would refuse the workers; an error saying so when it refuses even that.
pub fn start() -> Result<Runtime, CliError> {
    quiet_thread_refusals();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    // A worker refused half-way leaves tokio's build waiting for the started ones as it
    // unwinds (it never returns): so ask the OS first, and only build what it will start.
    let multi = threads_available(workers + 1);
    let runtime = if multi {
        Builder::new_multi_thread().enable_all().build()
    } else {
        Builder::new_current_thread().enable_all().build()
    };
    if limited() {
        start_rayon();
    }
    runtime.map_err(|e| refused(&e.to_string()))
}

/// Starts rayon's global pool (the local scan's) with as many threads as the OS gives, one at
/// least, instead of at its first use, where a refusal is a panic. If even one is refused the
/// first use still panics, and the local query reports it as a refused thread.
fn start_rayon() {
    if rayon::ThreadPoolBuilder::new().build_global().is_err() {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
    }
}

/// The stack tokio gives its threads (its default), what a probe thread reserves too.
const THREAD_STACK: usize = 2 << 20;

/// Whether the OS starts `n` threads at once now. Asked only under an address-space limit
/// (`ulimit -v`) or a small process limit: without them a refusal is all but impossible, and
/// the probe would cost every command its thread starts.
fn threads_available(n: usize) -> bool {
    if !limited() {
        return true;
    }
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let mut started = Vec::new();
    let mut all = true;
    for _ in 0..n {
        let rx = std::sync::Arc::clone(&rx);
        // Each waits until every one has started (the sender is dropped), so they all hold
        // their stacks at once, as the runtime's workers will.
        let spawned = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn(move || {
                if let Ok(rx) = rx.lock() {
                    let _ = rx.recv();
                }
            });
        match spawned {
            Ok(h) => started.push(h),
            Err(_) => {
                all = false;
                break;
            }
        }
    }
    drop(tx);
    for h in started {
        let _ = h.join();
    }
    all
}

/// An address-space limit, or a process limit small enough to matter.
#[cfg(unix)]
fn limited() -> bool {
    use rustix::process::{Resource, getrlimit};
    getrlimit(Resource::As).current.is_some()
        || getrlimit(Resource::Nproc).current.is_some_and(|n| n < 4096)
}

#[cfg(not(unix))]
fn limited() -> bool {
    false
}

/// Runs `fut` to its end on `runtime`; a thread refused on the way becomes an error (exit 1),
/// any other panic goes on unwinding.
pub fn block_on<F: Future<Output = anyhow::Result<()>>>(
    runtime: &Runtime,
    fut: F,
) -> anyhow::Result<()> {
    match catch_unwind(AssertUnwindSafe(|| runtime.block_on(fut))) {
        Ok(result) => result,
        Err(payload) => match panic_text(&*payload) {
            Some(text) if is_thread_refusal(text) => {
                let detail = text.split_once(": ").map_or(text, |(_, d)| d);
                Err(refused(detail).into())
            }
            _ => resume_unwind(payload),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_thread_in_the_command_is_an_error_with_exit_1() {
        let rt = start().unwrap();
        let r = block_on(&rt, async {
            panic!("OS can't spawn worker thread: Resource temporarily unavailable (os error 11)")
        });
        let e = r.unwrap_err();
        let cli = e.downcast_ref::<CliError>().unwrap();
        assert_eq!(cli.code, 1);
        assert!(
            cli.message
                .contains("refused to start a thread (Resource temporarily unavailable"),
            "{}",
            cli.message
        );
        assert!(cli.hint.as_deref().unwrap_or("").contains("ulimit -v"));
    }

    #[test]
    fn any_other_panic_still_unwinds() {
        let rt = start().unwrap();
        let r = catch_unwind(AssertUnwindSafe(|| {
            block_on(&rt, async { panic!("a bug") })
        }));
        assert!(r.is_err());
    }
}
