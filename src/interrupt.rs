//! Ctrl-C and SIGTERM, the same at every stage.
//!
//! Once any part of cargo fc has listened for a signal through tokio (the Docker builder, the
//! local emulator), the signal's default action is gone for the rest of the process: tokio's
//! handler stays installed after its runtime ends. So cargo fc installs one handler of its own
//! at start, beside tokio's, that decides what an interrupt does:
//!
//! - while no [`Guard`] is held, the process ends at once with status 130, as it would by
//!   default (nothing of cargo fc's is half done then);
//! - while a stage holds a `Guard` (it is writing a file, or runs a child process or container
//!   that must be stopped), the interrupt is only recorded: the stage sees it through
//!   [`check`] or [`wait`], cleans up, and returns [`Interrupted`].

use std::sync::Once;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use crate::error::Interrupted;

/// The signal received, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// How many guards are held.
static GUARDS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// The exit status of a command stopped by Ctrl-C or SIGTERM (README: exit codes).
pub const EXIT_STATUS: i32 = 130;

/// Installs the handler; idempotent. `main` calls it first, and every guard makes sure of it,
/// so library callers get the same behaviour.
pub fn install() {
    INSTALL.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: the action only touches atomics and calls `_exit`, all async-signal-safe.
            // Should registering fail, the signal keeps its default action, which ends the
            // process: still an interrupt, only without the clean-up.
            let _ = unsafe { signal_hook_registry::register(signal, move || on_signal(signal)) };
        }
    });
}

fn on_signal(signal: i32) {
    RECEIVED.store(signal, Ordering::SeqCst);
    if GUARDS.load(Ordering::SeqCst) == 0 {
        // SAFETY: `_exit` is async-signal-safe and ends the process without running anything
        // of ours, which holds nothing that needs cleaning up while unguarded.
        unsafe { libc::_exit(EXIT_STATUS) };
    }
}

/// Whether an interrupt arrived.
pub fn requested() -> bool {
    RECEIVED.load(Ordering::SeqCst) != 0
}

/// `Err(Interrupted)` once an interrupt arrived: the check of long synchronous work.
pub fn check() -> Result<(), Interrupted> {
    if requested() {
        Err(Interrupted { cleaned_up: None })
    } else {
        Ok(())
    }
}

/// Marks the interrupt received as the expected way to stop, so that the command ends as a
/// success: a server's Ctrl-C.
pub fn handled() {
    RECEIVED.store(0, Ordering::SeqCst);
}

/// Resolves when an interrupt arrives: the check of asynchronous work, to `select!` against.
pub async fn wait() {
    use tokio::signal::unix::{SignalKind, signal};
    // tokio's listeners share the process-wide handler with ours; both see every signal.
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    match (interrupt, terminate) {
        (Ok(mut interrupt), Ok(mut terminate)) => {
            if requested() {
                return;
            }
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }
        // Without tokio's listeners, poll the flag our own handler sets.
        _ => {
            while !requested() {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// While held, an interrupt is recorded instead of ending the process: the holder cleans up and
/// returns [`Interrupted`].
#[must_use = "an interrupt is deferred only while the guard lives"]
pub struct Guard(());

impl Guard {
    pub fn new() -> Self {
        install();
        GUARDS.fetch_add(1, Ordering::SeqCst);
        Guard(())
    }
}

impl Default for Guard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // An interrupt that arrived while guarded and that the holder did not turn into an
        // error (it was finishing anyway) is seen by the next `check` between stages, and by
        // `main` before it reports success.
        GUARDS.fetch_sub(1, Ordering::SeqCst);
    }
}
