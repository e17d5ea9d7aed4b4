//! Turning a panicking handler into an error answer instead of a dropped connection.

use std::any::Any;
use std::backtrace::{Backtrace, BacktraceStatus};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

use crate::error::Error;

thread_local! {
    // Set while a handler is polled on this thread, so the hook knows the panic will be caught
    // and reported with the request, rather than being an unexpected crash.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    // Where the last caught panic happened; the hook runs on the panicking thread just before
    // unwinding reaches `catch_unwind`, on that same thread.
    static LAST_PANIC: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Installs (once) a panic hook that records where caught handler panics happen and keeps them
/// off stderr, where they would not carry a request id; the request's logger reports them
/// instead. Panics elsewhere still go to the previous hook.
pub(crate) fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.get() {
                previous(info);
                return;
            }
            let mut frames = Vec::new();
            if let Some(location) = info.location() {
                frames.push(format!("at {location}"));
            }
            // Only captured when RUST_BACKTRACE asks for it, as for an uncaught panic. Frames
            // without symbols (all of them in a stripped release build) say nothing: skip them.
            let backtrace = Backtrace::capture();
            if backtrace.status() == BacktraceStatus::Captured {
                frames.extend(
                    backtrace
                        .to_string()
                        .lines()
                        .map(str::trim)
                        .filter(|line| !line.ends_with(": <unknown>"))
                        .map(str::to_owned),
                );
            }
            LAST_PANIC.set(frames);
        }));
    });
}

/// Runs a future, turning a panic while it is polled into an [`Error`] of type `Panic`.
pub(crate) struct CatchPanic<F> {
    // Boxed so that `CatchPanic` is `Unpin` and needs no pin projection (and no `unsafe`).
    inner: Pin<Box<F>>,
}

impl<F: Future> CatchPanic<F> {
    pub(crate) fn new(future: F) -> CatchPanic<F> {
        CatchPanic {
            inner: Box::pin(future),
        }
    }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        let was_catching = CATCHING.replace(true);
        // `AssertUnwindSafe`: after a panic the future is never polled again (the caller drops
        // it), and state it shared is exposed the usual way (poisoned std locks).
        let polled = panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx)));
        CATCHING.set(was_catching);
        match polled {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => {
                let frames = LAST_PANIC.take();
                Poll::Ready(Err(
                    Error::new("Panic", panic_message(payload.as_ref())).with_stack_trace(frames)
                ))
            }
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    fn poll_once<F: Future>(future: F) -> Poll<F::Output> {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        future.as_mut().poll(&mut cx)
    }

    #[test]
    fn passes_output_through() {
        let polled = poll_once(CatchPanic::new(async { 7 }));
        assert!(matches!(polled, Poll::Ready(Ok(7))));
    }

    #[test]
    fn reports_panic_message_and_location() {
        install_hook();
        let polled = poll_once(CatchPanic::new(async {
            let n: u32 = "x".len().try_into().unwrap();
            if n == 1 {
                panic!("boom {n}");
            }
            n
        }));
        let Poll::Ready(Err(error)) = polled else {
            panic!("expected a caught panic, got {polled:?}");
        };
        assert_eq!(error.error_type(), "Panic");
        assert_eq!(error.message(), "boom 1");
        let first = &error.stack_trace()[0];
        assert!(
            first.starts_with("at ") && first.contains("panic.rs:"),
            "{first}"
        );
        // The flag is reset, so later panics outside handlers reach the previous hook.
        assert!(!CATCHING.get());
    }

    #[test]
    fn reads_static_and_formatted_payloads() {
        assert_eq!(panic_message(&"static"), "static");
        assert_eq!(panic_message(&String::from("owned")), "owned");
        assert_eq!(panic_message(&42_u8), "panic with a non-string payload");
    }
}
