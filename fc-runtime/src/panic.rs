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
            // Only captured when RUST_BACKTRACE asks for it, as for an uncaught panic.
            let backtrace = Backtrace::capture();
            if backtrace.status() == BacktraceStatus::Captured {
                frames.extend(user_frames(&backtrace.to_string()));
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

/// Crates whose frames sit between every handler and the panic: the standard library's, the
/// runtime's and its server's. None of them says where the handler went wrong.
const MACHINERY: &[&str] = &[
    "std",
    "core",
    "alloc",
    "tokio",
    "hyper",
    "hyper_util",
    "http_body_util",
    "futures_util",
    "futures_core",
    "fc_runtime",
    "__rustc",
    "test",
];

/// The frames of a backtrace's text that are the function's own code, as `name at file:line`.
///
/// Frames of the standard library, tokio, hyper and the runtime are dropped, and so are frames
/// of C code (libc's `clone`, `start_thread`, `__libc_start_main`: names without a Rust path)
/// and frames without symbols, which are all a stripped release build has.
pub(crate) fn user_frames(backtrace: &str) -> Vec<String> {
    let mut frames = Vec::new();
    let mut lines = backtrace.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        // `  12: symbol`, optionally followed by `at file:line:column`.
        let Some((index, symbol)) = line.split_once(": ") else {
            continue;
        };
        if index.parse::<usize>().is_err() {
            continue;
        }
        let location = lines
            .next_if(|next| next.starts_with("at "))
            .map(|next| next.trim_start_matches("at "));
        if !is_user_symbol(symbol) {
            continue;
        }
        frames.push(match location {
            Some(location) => format!("{symbol} at {location}"),
            None => symbol.to_owned(),
        });
    }
    frames
}

fn is_user_symbol(symbol: &str) -> bool {
    if symbol == "<unknown>" || !symbol.contains("::") {
        return false;
    }
    // `<Type as Trait>::method` belongs to the type's crate; with a generic parameter for the
    // type (`<F as fc_runtime::Handler>::call`), to the trait's.
    let path = match symbol.strip_prefix('<') {
        Some(qualified) => {
            let (own, rest) = qualified.split_once(" as ").unwrap_or((qualified, ""));
            let own = own
                .trim_start_matches(['&', '*'])
                .trim_start_matches("mut ");
            let own = own.trim_start_matches("dyn ").trim_start_matches('<');
            if own.contains("::") { own } else { rest }
        }
        None => symbol,
    };
    let krate = path.split("::").next().unwrap_or("");
    !krate.is_empty() && !MACHINERY.contains(&krate)
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

    // What a stripped release build on Debian prints with RUST_BACKTRACE=1: libc has symbols,
    // the program has none.
    const STRIPPED: &str = "stack backtrace:
   0: <unknown>
   1: <unknown>
   2: start_thread
             at ./nptl/pthread_create.c:442:8
   3: clone
             at ./misc/../sysdeps/unix/sysv/linux/x86_64/clone.S:100
";

    const WITH_SYMBOLS: &str = "   0: fc_runtime::panic::install_hook::{{closure}}
             at ./src/panic.rs:41:29
   1: std::panicking::rust_panic_with_hook
             at /rustc/x/library/std/src/panicking.rs:841:13
   2: __rustc::rust_begin_unwind
   3: hello::handler::{{closure}}
             at ./src/main.rs:25:9
   4: <F as fc_runtime::handler::EventHandler<(E,)>>::call::{{closure}}
             at ./src/handler.rs:186:13
   5: <core::pin::Pin<P> as core::future::future::Future>::poll
   6: <hello::Retry<T> as core::future::future::Future>::poll
             at ./src/retry.rs:9:1
   7: test::run_test_in_process
   8: __libc_start_main
   9: main
";

    #[test]
    fn backtraces_keep_only_the_functions_own_frames() {
        assert_eq!(user_frames(STRIPPED), Vec::<String>::new());
        assert_eq!(
            user_frames(WITH_SYMBOLS),
            [
                "hello::handler::{{closure}} at ./src/main.rs:25:9",
                "<hello::Retry<T> as core::future::future::Future>::poll at ./src/retry.rs:9:1",
            ]
        );
    }

    #[test]
    fn reads_static_and_formatted_payloads() {
        assert_eq!(panic_message(&"static"), "static");
        assert_eq!(panic_message(&String::from("owned")), "owned");
        assert_eq!(panic_message(&42_u8), "panic with a non-string payload");
    }
}
