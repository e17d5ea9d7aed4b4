//! A connection's guard: it checks each request head before hyper sees it, and keeps slow or
//! half-sent requests from holding a connection.
//!
//! hyper answers a head it cannot accept (too many headers, a head too large, bad framing
//! headers, a malformed request line) itself, with a bare status and no `x-fc-status`, which FC
//! counts as a success. So the guard reads each head first, judges it by hyper's own rules, and
//! answers what hyper would refuse with FC's error shape. It passes everything else through
//! unchanged, following each request's body framing to know where the next head starts.
//!
//! It also times requests out: a head must arrive whole within the head timeout once its first
//! byte has come (an idle keep-alive connection is left alone, as FC's proxy reuses it), and a
//! body that stops arriving fails the request after the body timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use crate::error::Error;

/// hyper's default limit on the number of headers; a head with more is refused here first.
pub(crate) const MAX_HEADERS: usize = 100;

/// The longest head accepted. FC forwards at most 8 KB of headers and 4 KB of path and query
/// (cargo fc's docs/platform.md: limits), and hyper's own limit is larger (about 400 KB), so the guard decides.
const MAX_HEAD: usize = 64 * 1024;

/// How long a request may take to arrive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    /// From the first byte of a head to its last.
    pub(crate) head: Duration,
    /// Between two reads of a body that is not complete yet.
    pub(crate) body: Duration,
}

/// What the guard expects next on the connection.
#[derive(Debug)]
enum State {
    Head,
    Length(u64),
    Chunked(Chunked),
    /// The framing could not be followed (a malformed chunked body): hyper sees every byte as it
    /// comes and decides alone.
    Untracked,
}

/// A connection stream whose request heads are checked before hyper reads them.
pub(crate) struct Guarded<S> {
    inner: S,
    /// Bytes read from the connection that hyper has not been given yet, in `start..end`. The
    /// buffer is zeroed once, when it grows, not at every read.
    buf: Vec<u8>,
    /// Where in `buf` the bytes not given to hyper start.
    start: usize,
    /// Where the bytes read end.
    end: usize,
    /// How many bytes from `start` are checked and may be given to hyper.
    ready: usize,
    state: State,
    timeouts: Timeouts,
    /// When the head or body being read times out; `None` while nothing is awaited.
    deadline: Option<Instant>,
    timer: Option<Pin<Box<Sleep>>>,
    /// The answer to a refused head, written before the connection closes.
    refusal: Option<Refusal>,
}

struct Refusal {
    bytes: Vec<u8>,
    written: usize,
}

impl<S> Guarded<S> {
    pub(crate) fn new(inner: S, timeouts: Timeouts) -> Guarded<S> {
        Guarded {
            inner,
            buf: Vec::new(),
            start: 0,
            end: 0,
            ready: 0,
            state: State::Head,
            timeouts,
            deadline: None,
            timer: None,
            refusal: None,
        }
    }

    /// The unchecked bytes: what follows the ones hyper may have.
    fn pending(&self) -> &[u8] {
        &self.buf[self.start + self.ready..self.end]
    }

    /// Moves through the bytes held so far as far as the framing allows.
    fn advance_held(&mut self) {
        let from = self.start + self.ready;
        let (used, refused) = advance(
            &mut self.state,
            &mut self.deadline,
            &self.buf[from..self.end],
        );
        self.ready += used;
        if let Some((status, error_type, message)) = refused {
            self.refuse(status, error_type, message);
        }
    }

    fn refuse(&mut self, status: StatusCode, error_type: &str, message: String) {
        eprintln!("fc: refused a request before reading it: {message}");
        self.refusal = Some(Refusal {
            bytes: refusal_response(status, &Error::new(error_type, message)),
            written: 0,
        });
        self.deadline = None;
    }

    /// Whether the bytes awaited now are late; starts the clock when they begin to be awaited.
    fn late(&mut self, cx: &mut Context<'_>) -> bool {
        let waiting_for_head = matches!(self.state, State::Head) && !self.pending().is_empty();
        let waiting_for_body = matches!(self.state, State::Length(_) | State::Chunked(_));
        let limit = if waiting_for_head {
            self.timeouts.head
        } else if waiting_for_body {
            self.timeouts.body
        } else {
            self.deadline = None;
            return false;
        };
        let deadline = *self.deadline.get_or_insert_with(|| Instant::now() + limit);
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if timer.deadline() != deadline {
            timer.as_mut().reset(deadline);
        }
        timer.as_mut().poll(cx).is_ready()
    }
}

/// A head refused: the status, `errorType` and message of the answer.
type Refused = (StatusCode, &'static str, String);

/// Walks `bytes` as far as the framing allows: how many of them hyper may have, and the
/// refusal of a head among them. It stops early at a head that is not whole yet.
fn advance(
    state: &mut State,
    deadline: &mut Option<Instant>,
    bytes: &[u8],
) -> (usize, Option<Refused>) {
    let mut used = 0;
    loop {
        let pending = &bytes[used..];
        if pending.is_empty() {
            return (used, None);
        }
        let (n, next) = match state {
            State::Head => match judge_head(pending) {
                Head::Partial if pending.len() > MAX_HEAD => {
                    let message = format!("the request head is larger than {MAX_HEAD} bytes");
                    let refused = (
                        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "HeadersTooLarge",
                        message,
                    );
                    return (used, Some(refused));
                }
                Head::Partial => return (used, None),
                Head::Refused(status, error_type, message) => {
                    return (used, Some((status, error_type, message)));
                }
                Head::Accepted { length, body } => {
                    *deadline = None;
                    let next = match body {
                        Body::Empty => State::Head,
                        Body::Length(length) => State::Length(length),
                        Body::Chunked => State::Chunked(Chunked::default()),
                    };
                    (length, Some(next))
                }
            },
            State::Length(remaining) => {
                let take = pending
                    .len()
                    .min(usize::try_from(*remaining).unwrap_or(usize::MAX));
                *remaining -= take as u64;
                (take, (*remaining == 0).then_some(State::Head))
            }
            State::Chunked(chunked) => match chunked.scan(pending) {
                Scan::Ended(n) => (n, Some(State::Head)),
                Scan::More => (pending.len(), None),
                Scan::Malformed => (pending.len(), Some(State::Untracked)),
            },
            State::Untracked => (pending.len(), None),
        };
        used += n;
        if let Some(next) = next {
            *state = next;
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if this.ready > 0 {
                let n = this.ready.min(out.remaining());
                out.put_slice(&this.buf[this.start..this.start + n]);
                this.start += n;
                this.ready -= n;
                if this.start == this.end {
                    this.start = 0;
                    this.end = 0;
                }
                return Poll::Ready(Ok(()));
            }
            // A refused head ends the input once the requests before it are handed over: hyper
            // answers them and closes, and the refusal is written on the way out.
            if this.refusal.is_some() {
                return Poll::Ready(Ok(()));
            }
            if this.start == this.end {
                // Nothing held back: read straight into hyper's buffer and check the bytes
                // there, so that the common request is not copied.
                let before = out.filled().len();
                match Pin::new(&mut this.inner).poll_read(cx, out) {
                    Poll::Ready(Ok(())) => {
                        let got = out.filled().len() - before;
                        if got == 0 {
                            return Poll::Ready(Ok(()));
                        }
                        if !matches!(this.state, State::Head) {
                            // A body that is still arriving gets a fresh allowance.
                            this.deadline = None;
                        }
                        let (used, refused) =
                            advance(&mut this.state, &mut this.deadline, &out.filled()[before..]);
                        if used < got {
                            if refused.is_none() {
                                // A head not whole yet: hyper gets it when it is, and checked.
                                let rest = &out.filled()[before + used..];
                                if this.buf.len() < rest.len().max(8192) {
                                    this.buf.resize(rest.len().max(8192), 0);
                                }
                                this.buf[..rest.len()].copy_from_slice(rest);
                                this.start = 0;
                                this.end = rest.len();
                            }
                            out.set_filled(before + used);
                        }
                        if let Some((status, error_type, message)) = refused {
                            this.refuse(status, error_type, message);
                        }
                        if used > 0 {
                            return Poll::Ready(Ok(()));
                        }
                        continue;
                    }
                    Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                    Poll::Pending => return this.poll_pending(cx),
                }
            }
            this.advance_held();
            if this.ready > 0 || this.refusal.is_some() {
                continue;
            }
            // Everything checked has been handed over: read more, after what is unchecked.
            if this.end == this.buf.len() {
                if this.start > 0 {
                    this.buf.copy_within(this.start..this.end, 0);
                    this.end -= this.start;
                    this.start = 0;
                } else {
                    let grown = (this.buf.len() * 2).max(8192);
                    this.buf.resize(grown, 0);
                }
            }
            let mut read = ReadBuf::new(&mut this.buf[this.end..]);
            let polled = Pin::new(&mut this.inner).poll_read(cx, &mut read);
            let got = read.filled().len();
            this.end += got;
            match polled {
                Poll::Ready(Ok(())) if got == 0 => {
                    // The client is gone. Hand over the rest (hyper reports a cut-off body)
                    // and then the end.
                    if !matches!(this.state, State::Head) && !this.pending().is_empty() {
                        this.ready = this.pending().len();
                        continue;
                    }
                    return Poll::Ready(Ok(()));
                }
                Poll::Ready(Ok(())) => {
                    if !matches!(this.state, State::Head) {
                        // A body that is still arriving gets a fresh allowance.
                        this.deadline = None;
                    }
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => match this.poll_pending(cx) {
                    // The head timed out: the refusal is in place, the loop ends the input.
                    Poll::Ready(Ok(())) => continue,
                    other => return other,
                },
            }
        }
    }
}

impl<S> Guarded<S> {
    /// The connection has nothing to read now: pending, unless what is awaited is late. A
    /// late head is refused (`Ready(Ok)`, after which reads end the input); a late body is an
    /// error hyper reports to the request being read, which answers it.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.late(cx) {
            return Poll::Pending;
        }
        if matches!(self.state, State::Head) {
            let limit = self.timeouts.head;
            self.refuse(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                format!("the request head did not arrive whole within {limit:?}"),
            );
            return Poll::Ready(Ok(()));
        }
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "no more of the request body arrived within {:?}",
                self.timeouts.body
            ),
        )))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, data)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(refusal) = &mut this.refusal {
            while refusal.written < refusal.bytes.len() {
                let n = ready!(
                    Pin::new(&mut this.inner).poll_write(cx, &refusal.bytes[refusal.written..])
                )?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                refusal.written += n;
            }
            ready!(Pin::new(&mut this.inner).poll_flush(cx))?;
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The whole answer to a refused head.
fn refusal_response(status: StatusCode, error: &Error) -> Vec<u8> {
    let body = error.to_json();
    let mut response = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\nx-fc-status: 404\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

#[derive(Debug, PartialEq, Eq)]
enum Body {
    Empty,
    Length(u64),
    Chunked,
}

#[derive(Debug, PartialEq, Eq)]
enum Head {
    Partial,
    Accepted { length: usize, body: Body },
    Refused(StatusCode, &'static str, String),
}

/// Judges a head by the rules hyper applies when it parses one (hyper 1's
/// `proto::h1::role::Server::parse`): httparse's syntax with at most [`MAX_HEADERS`] headers, a
/// method and URI `http` accepts, and the framing of RFC 9112 section 6.
fn judge_head(bytes: &[u8]) -> Head {
    let bad = |message: String| Head::Refused(StatusCode::BAD_REQUEST, "BadRequest", message);
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Head::Partial,
        Err(httparse::Error::TooManyHeaders) => {
            return Head::Refused(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "HeadersTooLarge",
                format!("the request has more than {MAX_HEADERS} headers"),
            );
        }
        Err(error) => return bad(format!("the request head is malformed: {error}")),
    };
    let method = request.method.unwrap_or_default();
    if http::Method::from_bytes(method.as_bytes()).is_err() {
        return bad(format!("the request method {method:?} is malformed"));
    }
    let target = request.path.unwrap_or_default();
    if let Err(error) = http::Uri::try_from(target) {
        return bad(format!(
            "the request target {target:?} is malformed: {error}"
        ));
    }
    let http_11 = request.version == Some(1);
    let mut content_length: Option<u64> = None;
    let mut transfer_encoding = false;
    let mut chunked = false;
    for header in request.headers.iter() {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            if !http_11 {
                return bad("an HTTP/1.0 request cannot have a transfer-encoding".to_owned());
            }
            transfer_encoding = true;
            chunked = std::str::from_utf8(header.value)
                .ok()
                .filter(|value| {
                    value
                        .bytes()
                        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
                })
                .and_then(|value| value.rsplit(',').next())
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        } else if header.name.eq_ignore_ascii_case("content-length") && !transfer_encoding {
            let Some(value) = digits(header.value) else {
                return bad(format!(
                    "the content-length {:?} is not a number",
                    String::from_utf8_lossy(header.value)
                ));
            };
            if content_length.is_some_and(|previous| previous != value) {
                return bad("the request has content-length headers that disagree".to_owned());
            }
            content_length = Some(value);
        }
    }
    let body = if transfer_encoding {
        if !chunked {
            return bad("the request's transfer-encoding does not end in chunked".to_owned());
        }
        Body::Chunked
    } else {
        match content_length {
            Some(0) | None => Body::Empty,
            Some(length) => Body::Length(length),
        }
    };
    Head::Accepted { length, body }
}

/// A decimal number without sign or spaces, as hyper reads content-length.
fn digits(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0_u64, |value, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        value.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Where a chunked body is (RFC 9112 section 7.1): only far enough to find its end.
#[derive(Debug, Default)]
struct Chunked {
    step: Step,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Before the first hex digit of a chunk size.
    #[default]
    SizeStart,
    /// In the hex digits of a chunk size.
    Size(u64),
    /// In a chunk extension, after the size.
    Extension(u64),
    SizeLf(u64),
    Data(u64),
    DataCr,
    DataLf,
    /// At the start of a trailer line, or of the empty line that ends the body.
    TrailerStart,
    TrailerLine,
    TrailerLf,
    FinalLf,
}

enum Scan {
    /// The body ends after this many of the bytes.
    Ended(usize),
    /// All of them belong to the body.
    More,
    Malformed,
}

impl Chunked {
    fn scan(&mut self, bytes: &[u8]) -> Scan {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let hex = (b as char).to_digit(16).map(u64::from);
            self.step = match (self.step, b) {
                (Step::Data(remaining), _) => {
                    let take = remaining.min((bytes.len() - i) as u64);
                    i += take as usize;
                    self.step = match remaining - take {
                        0 => Step::DataCr,
                        left => Step::Data(left),
                    };
                    continue;
                }
                (Step::SizeStart, _) => match hex {
                    Some(digit) => Step::Size(digit),
                    None => return Scan::Malformed,
                },
                (Step::Size(size), _) if hex.is_some() => {
                    match size
                        .checked_mul(16)
                        .and_then(|s| s.checked_add(hex.unwrap_or(0)))
                    {
                        Some(size) => Step::Size(size),
                        None => return Scan::Malformed,
                    }
                }
                (Step::Size(size), b'\r') | (Step::Extension(size), b'\r') => Step::SizeLf(size),
                (Step::Size(size), b';' | b' ' | b'\t') => Step::Extension(size),
                (Step::Extension(_), b'\n') | (Step::Size(_), _) => return Scan::Malformed,
                (Step::Extension(size), _) => Step::Extension(size),
                (Step::SizeLf(0), b'\n') => Step::TrailerStart,
                (Step::SizeLf(size), b'\n') => Step::Data(size),
                (Step::DataCr, b'\r') => Step::DataLf,
                (Step::DataLf, b'\n') => Step::SizeStart,
                (Step::TrailerStart, b'\r') => Step::FinalLf,
                (Step::TrailerStart | Step::TrailerLine, b'\n') => return Scan::Malformed,
                (Step::TrailerLine, b'\r') => Step::TrailerLf,
                (Step::TrailerStart | Step::TrailerLine, _) => Step::TrailerLine,
                (Step::TrailerLf, b'\n') => Step::TrailerStart,
                (Step::FinalLf, b'\n') => {
                    self.step = Step::SizeStart;
                    return Scan::Ended(i + 1);
                }
                (
                    Step::SizeLf(_) | Step::DataCr | Step::DataLf | Step::TrailerLf | Step::FinalLf,
                    _,
                ) => {
                    return Scan::Malformed;
                }
            };
            i += 1;
        }
        Scan::More
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(head: &str) -> (usize, Body) {
        match judge_head(head.as_bytes()) {
            Head::Accepted { length, body } => (length, body),
            other => panic!("{head:?}: {other:?}"),
        }
    }

    fn refused(head: &str) -> (u16, String) {
        match judge_head(head.as_bytes()) {
            Head::Refused(status, _, message) => (status.as_u16(), message),
            other => panic!("{head:?}: {other:?}"),
        }
    }

    #[test]
    fn accepts_what_hyper_accepts() {
        let head = "POST /invoke HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(accepted(head), (head.len() - 5, Body::Length(5)));
        let head = "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(accepted(head), (head.len(), Body::Empty));
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n";
        assert_eq!(accepted(head).1, Body::Chunked);
        // A transfer-encoding wins over a content-length, as in hyper.
        let head = "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(accepted(head).1, Body::Chunked);
        let head = "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n";
        assert_eq!(accepted(head).1, Body::Length(3));
        assert_eq!(
            judge_head(b"POST /invoke HTTP/1.1\r\nx-fc-request-id: 1\r\n"),
            Head::Partial
        );
    }

    #[test]
    fn refuses_what_hyper_refuses() {
        let many: String = (0..=MAX_HEADERS).map(|i| format!("h{i}: v\r\n")).collect();
        let (status, message) = refused(&format!("GET / HTTP/1.1\r\n{many}\r\n"));
        assert_eq!(status, 431, "{message}");
        assert_eq!(
            refused("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n").0,
            400
        );
        assert_eq!(
            refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").0,
            400
        );
        assert_eq!(
            refused("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n").0,
            400
        );
        assert_eq!(
            refused("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").0,
            400
        );
        assert_eq!(
            refused("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").0,
            400
        );
        assert_eq!(refused("GET / HTTP/1.1\r\nbad header\r\n\r\n").0, 400);
        assert_eq!(refused("G@T / HTTP/1.1\r\n\r\n").0, 400);
        assert_eq!(refused("GET / HTTP/2.0\r\n\r\n").0, 400);
    }

    fn scan_all(chunks: &[&str]) -> Vec<&'static str> {
        let mut chunked = Chunked::default();
        chunks
            .iter()
            .map(|part| match chunked.scan(part.as_bytes()) {
                Scan::Ended(n) if n == part.len() => "end",
                Scan::Ended(_) => "end-early",
                Scan::More => "more",
                Scan::Malformed => "malformed",
            })
            .collect()
    }

    #[test]
    fn finds_the_end_of_a_chunked_body_across_reads() {
        assert_eq!(scan_all(&["5\r\nhello\r\n0\r\n\r\n"]), ["end"]);
        assert_eq!(
            scan_all(&[
                "5\r",
                "\nhel",
                "lo\r\n",
                "1A;ext=1\r\n",
                "abcdefghijklmnopqrstuvwxyz",
                "\r\n0\r\n",
                "\r\n"
            ]),
            ["more", "more", "more", "more", "more", "more", "end"]
        );
        assert_eq!(scan_all(&["0\r\nExpires: never\r\nX: y\r\n\r\n"]), ["end"]);
        assert_eq!(scan_all(&["0\r\n\r\nGET / HTTP/1.1"]), ["end-early"]);
        assert_eq!(scan_all(&["zz\r\n"]), ["malformed"]);
        assert_eq!(scan_all(&["2\r\nabc\r\n"]), ["malformed"]);
    }
}
