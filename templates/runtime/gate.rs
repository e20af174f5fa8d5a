//! The rate-limit gate: one per client, shared by its clones, with a bucket per endpoint
//! (method and path template, as the vendors count).
//!
//! Without it, every call that is refused waits on its own for the window to reset, and then
//! all of them are sent again at the same instant: with 1,000 calls and a bucket of 100, 900
//! come back refused after the first reset, 800 after the second, and so on. Once one answer
//! shows the bucket empty (a 429, or no requests remaining) the gate holds the endpoint's calls
//! until the reset the answer names, then lets one call find out the new window's budget and
//! sends no more than that budget. Before the first such answer it only counts calls in flight.
//!
//! A held call never waits past its deadline (it fails at once when the reset is later), is not
//! an attempt, and holds nothing while it waits: dropping it frees no one and blocks no one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::Method;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::rate_limit::{rate_limit_wait, RateLimit, RateLimitNames, RateLimitWait};
use super::retry::Sleeper;

/// The longest the gate stays closed on one answer: a reset header far in the future (or
/// hostile) must not overflow the clock; calls fail against their deadline long before.
const MAX_CLOSURE: Duration = Duration::from_secs(24 * 60 * 60);

/// The gate of one client.
#[derive(Debug)]
pub(crate) struct Gate {
    enabled: bool,
    names: Option<RateLimitNames>,
    buckets: Mutex<HashMap<(Method, &'static str), Arc<Bucket>>>,
}

/// What the gate knows about one endpoint's bucket.
#[derive(Debug)]
struct Bucket {
    /// `GET /api/v1/users/{userId}/factors`, for the log.
    endpoint: String,
    state: Mutex<BucketState>,
    /// Wakes the calls waiting for an answer (see [`Hold::Answer`]).
    changed: Notify,
}

#[derive(Debug, Default)]
struct BucketState {
    /// Set by the first answer that showed the bucket empty: from then on the gate sends no
    /// more calls than the window has room for.
    metered: bool,
    /// Calls that may still be sent in the current window (when metered).
    allowance: u64,
    /// Calls let through and not answered yet.
    in_flight: u64,
    /// No call is sent before this instant (the reset named by the last empty-bucket answer).
    closed_until: Option<Instant>,
    /// Counts closures, so a call that waited one out in its own retry wait is not held again.
    closure: u64,
}

impl Bucket {
    fn state(&self) -> MutexGuard<'_, BucketState> {
        // the state is consistent after every statement: a panic elsewhere leaves it usable
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What one call carries from attempt to attempt: the last closure it waited out itself.
#[derive(Debug, Default)]
pub(crate) struct Ticket {
    closure: u64,
}

/// The call's deadline would pass before the gate opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeadlineFirst;

/// Permission to send one attempt. Finish it with the answer; dropped unfinished (the attempt
/// failed, or the call was dropped), it frees its place for the next call.
#[derive(Debug)]
#[must_use]
pub(crate) struct Pass<'a> {
    gate: &'a Gate,
    bucket: Option<Arc<Bucket>>,
    /// Sent to learn the budget of a new window: its answer sets the allowance.
    probe: bool,
    /// The closure count when it was let through: an empty-bucket answer to a call sent under
    /// the current closure is news (the window it was sent in is empty too), one to a call sent
    /// before it only confirms the closure.
    closure: u64,
}

enum Hold {
    /// Closed until the reset: sleep this long.
    For(Duration, u64),
    /// Wait until an answer (or a dropped pass) changes what the gate knows.
    Answer,
}

impl Gate {
    pub(crate) fn new(enabled: bool, names: Option<RateLimitNames>) -> Self {
        Self {
            enabled,
            names,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn bucket(&self, method: &Method, path: &'static str) -> Arc<Bucket> {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        // one entry per operation of the provider: bounded by the generated code
        match buckets.get(&(method.clone(), path)) {
            Some(bucket) => Arc::clone(bucket),
            None => Arc::clone(buckets.entry((method.clone(), path)).or_insert_with(|| {
                Arc::new(Bucket {
                    endpoint: format!("{method} {path}"),
                    state: Mutex::default(),
                    changed: Notify::new(),
                })
            })),
        }
    }

    /// Waits until a call to `method path` may be sent, on `sleeper` while the gate is closed.
    pub(crate) async fn admit(
        &self,
        method: &Method,
        path: &'static str,
        deadline: Option<Instant>,
        sleeper: &dyn Sleeper,
        ticket: &mut Ticket,
    ) -> Result<Pass<'_>, DeadlineFirst> {
        if !self.enabled {
            return Ok(Pass {
                gate: self,
                bucket: None,
                probe: false,
                closure: 0,
            });
        }
        let bucket = self.bucket(method, path);
        loop {
            // registered before the state is read: a change made after the read wakes it
            let changed = bucket.changed.notified();
            let hold = {
                let mut state = bucket.state();
                let now = Instant::now();
                match state.closed_until {
                    Some(until) if until > now && ticket.closure != state.closure => {
                        Hold::For(until - now, state.closure)
                    }
                    _ if !state.metered || state.allowance > 0 => {
                        state.allowance = state.allowance.saturating_sub(1);
                        state.in_flight += 1;
                        let closure = state.closure;
                        return Ok(self.pass(Arc::clone(&bucket), false, closure));
                    }
                    _ if state.in_flight == 0 => {
                        state.in_flight += 1;
                        let closure = state.closure;
                        return Ok(self.pass(Arc::clone(&bucket), true, closure));
                    }
                    _ => Hold::Answer,
                }
            };
            match hold {
                Hold::For(wait, closure) => {
                    let now = Instant::now();
                    if deadline.is_some_and(|d| now.checked_add(wait).is_none_or(|end| end >= d)) {
                        return Err(DeadlineFirst);
                    }
                    tracing::debug!(
                        path,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "rate-limit gate closed; waiting for the window to reset"
                    );
                    sleeper.sleep(wait).await;
                    ticket.closure = closure;
                }
                Hold::Answer => match deadline {
                    Some(deadline) => {
                        if tokio::time::timeout_at(deadline, changed).await.is_err() {
                            return Err(DeadlineFirst);
                        }
                    }
                    None => changed.await,
                },
            }
        }
    }

    fn pass(&self, bucket: Arc<Bucket>, probe: bool, closure: u64) -> Pass<'_> {
        Pass {
            gate: self,
            bucket: Some(bucket),
            probe,
            closure,
        }
    }
}

impl Pass<'_> {
    /// Ends the attempt with its answer (`None`: no answer arrived) and learns from it what the
    /// bucket holds. An empty-bucket answer closes the gate until the reset it names, and marks
    /// `ticket` so the call's own retry wait counts as its wait for that closure.
    pub(crate) fn finish(mut self, answer: Option<(u16, &HeaderMap)>, ticket: &mut Ticket) {
        self.end(answer, Some(ticket));
    }

    fn end(&mut self, answer: Option<(u16, &HeaderMap)>, ticket: Option<&mut Ticket>) {
        let Some(bucket) = self.bucket.take() else {
            return;
        };
        let names = self.gate.names.as_ref();
        let mut state = bucket.state();
        if let Some((status, headers)) = answer {
            let limits = RateLimit::from_headers(names, headers);
            let empty = status == 429 || limits.remaining == Some(0);
            // a concurrency limit or a 429 without a reset names no time to wait for: the
            // retry policy's backoff handles those
            let reset = match empty.then(|| rate_limit_wait(names, headers, SystemTime::now())) {
                Some(RateLimitWait::For(wait)) => Some(wait.min(MAX_CLOSURE)),
                Some(RateLimitWait::Backoff) | None => None,
            };
            if let Some(wait) = reset {
                let now = Instant::now();
                let until = now.checked_add(wait).unwrap_or(now);
                match state.closed_until {
                    // sent before this closure (in flight when it began): the same news
                    Some(closed) if closed > now && self.closure != state.closure => {
                        state.closed_until = Some(closed.max(until));
                    }
                    // sent since (a window that opened and emptied again), or the gate was open:
                    // a new closure, which the calls that waited out the last one wait for too
                    closed => {
                        let until = closed.map_or(until, |closed| closed.max(until));
                        state.closure += 1;
                        state.closed_until = Some(until);
                        tracing::info!(
                            endpoint = %bucket.endpoint,
                            // this call's included: it was in flight until now
                            calls_in_flight = state.in_flight,
                            first = !state.metered,
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            "rate limit reached; holding calls to this endpoint until the reset"
                        );
                    }
                }
                state.metered = true;
                state.allowance = 0;
                if let Some(ticket) = ticket {
                    ticket.closure = state.closure;
                }
            } else if state.metered {
                match limits.remaining {
                    Some(remaining) if self.probe => state.allowance = remaining,
                    Some(remaining) => state.allowance = state.allowance.min(remaining),
                    // the server stopped saying how much is left: no count to keep
                    None if self.probe && status != 429 => state.metered = false,
                    None => {}
                }
            }
        }
        state.in_flight = state.in_flight.saturating_sub(1);
        let wake = state.in_flight == 0 || state.allowance > 0 || !state.metered;
        drop(state);
        if wake {
            bucket.changed.notify_waiters();
        }
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        self.end(None, None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::rate_limit::{RateLimitHeaders, ResetClock};
    use super::super::BoxFuture;
    use super::*;
    use reqwest::header::HeaderValue;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    const OKTA: RateLimitHeaders = RateLimitHeaders {
        limit: "x-rate-limit-limit",
        remaining: "x-rate-limit-remaining",
        reset: "x-rate-limit-reset",
        clock: ResetClock::EpochSeconds,
    };
    const PATH: &str = "/api/v1/users/{userId}/factors";

    fn gate() -> Gate {
        Gate::new(true, RateLimitNames::parse(&OKTA).ok())
    }

    /// Sleeps on the (paused) tokio clock and counts the sleeps.
    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl Sleeper for Counting {
        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(tokio::time::sleep(duration))
        }
    }

    /// An Okta answer: `remaining` left, the window ending `reset_in` seconds after `Date`.
    fn answer(remaining: u64, reset_in: u64) -> HeaderMap {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut headers = HeaderMap::new();
        let mut set = |name: &'static str, value: String| {
            headers.insert(name, HeaderValue::from_str(&value).expect("test header"));
        };
        set("x-rate-limit-limit", "100".into());
        set("x-rate-limit-remaining", remaining.to_string());
        set("x-rate-limit-reset", (now + reset_in).to_string());
        set(
            "date",
            httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now)),
        );
        headers
    }

    async fn admit<'a>(
        gate: &'a Gate,
        deadline: Option<Instant>,
        sleeper: &Counting,
        ticket: &mut Ticket,
    ) -> Result<Pass<'a>, DeadlineFirst> {
        gate.admit(&Method::GET, PATH, deadline, sleeper, ticket)
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn before_any_limit_answer_every_call_goes() {
        let (gate, sleeper) = (gate(), Counting::default());
        let mut passes = Vec::new();
        for _ in 0..50 {
            passes.push(admit(&gate, None, &sleeper, &mut Ticket::default()).await);
        }
        assert!(passes.iter().all(Result::is_ok));
        assert_eq!(sleeper.0.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_bucket_holds_siblings_until_the_reset_then_sends_one_to_learn_the_budget() {
        let (gate, sleeper) = (Arc::new(gate()), Counting::default());
        let mut own = Ticket::default();
        let pass = admit(&gate, None, &sleeper, &mut own).await.expect("open");
        // reset 1 s after Date: the wait is 2 s (whole-second clocks, see `rate_limit_wait`)
        pass.finish(Some((429, &answer(0, 1))), &mut own);
        let started = Instant::now();

        // a sibling waits for the reset, then goes alone to learn the new budget
        let probe = admit(&gate, None, &sleeper, &mut Ticket::default())
            .await
            .expect("after the reset");
        assert!(started.elapsed() >= Duration::from_secs(2));
        assert!(probe.probe);
        let held = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move {
                let sleeper = Counting::default();
                admit(&gate, None, &sleeper, &mut Ticket::default())
                    .await
                    .map(drop)
                    .is_ok()
            }
        });
        tokio::task::yield_now().await;
        assert!(!held.is_finished(), "held while the probe is out");
        drop(probe);
        assert!(
            held.await.expect("joined"),
            "a dropped probe lets the next call go"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_probe_answer_sets_how_many_go_in_the_new_window() {
        let (gate, sleeper) = (gate(), Counting::default());
        let mut ticket = Ticket::default();
        let first = admit(&gate, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        first.finish(Some((200, &answer(0, 1))), &mut ticket);
        let probe = admit(&gate, None, &sleeper, &mut Ticket::default())
            .await
            .expect("after the reset");
        assert!(probe.probe);
        probe.finish(Some((200, &answer(3, 1))), &mut Ticket::default());
        let mut passes = Vec::new();
        for _ in 0..3 {
            passes.push(
                admit(&gate, None, &sleeper, &mut Ticket::default())
                    .await
                    .expect("within the budget"),
            );
        }
        // the fourth call finds no budget and calls in flight: it waits for an answer
        let deadline = Instant::now() + Duration::from_millis(500);
        let fourth = admit(&gate, Some(deadline), &sleeper, &mut Ticket::default()).await;
        assert_eq!(fourth.err(), Some(DeadlineFirst));
        assert!(Instant::now() >= deadline, "waited until the deadline");
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_after_the_deadline_fails_at_once() {
        let (gate, sleeper) = (gate(), Counting::default());
        let mut ticket = Ticket::default();
        let pass = admit(&gate, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        pass.finish(Some((429, &answer(0, 30))), &mut ticket);
        let started = Instant::now();
        let deadline = started + Duration::from_secs(5);
        let held = admit(&gate, Some(deadline), &sleeper, &mut Ticket::default()).await;
        assert_eq!(held.err(), Some(DeadlineFirst));
        assert_eq!(started.elapsed(), Duration::ZERO, "no wait started");
        assert_eq!(sleeper.0.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn the_call_that_was_refused_is_not_held_again_for_its_own_wait() {
        let (gate, sleeper) = (gate(), Counting::default());
        let mut own = Ticket::default();
        let pass = admit(&gate, None, &sleeper, &mut own).await.expect("open");
        pass.finish(Some((429, &answer(0, 1))), &mut own);
        // its retry wait (an injected sleeper that returns at once, here none) counts: the
        // gate does not make it wait a second time for the same reset
        let again = admit(&gate, None, &sleeper, &mut own)
            .await
            .expect("its retry");
        assert!(again.probe);
        assert_eq!(sleeper.0.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_waiting_call_leaks_nothing() {
        let gate = Arc::new(gate());
        let mut ticket = Ticket::default();
        let sleeper = Counting::default();
        let pass = admit(&gate, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        pass.finish(Some((429, &answer(0, 1))), &mut ticket);
        let waiting = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move {
                let sleeper = Counting::default();
                admit(&gate, None, &sleeper, &mut Ticket::default())
                    .await
                    .map(drop)
            }
        });
        tokio::task::yield_now().await;
        waiting.abort();
        assert!(waiting.await.is_err(), "cancelled while held");
        let bucket = gate.bucket(&Method::GET, PATH);
        assert_eq!(bucket.state().in_flight, 0);
        tokio::time::sleep(Duration::from_secs(3)).await;
        let next = admit(&gate, None, &sleeper, &mut Ticket::default()).await;
        assert!(
            next.is_ok(),
            "the next call is not blocked by the dropped one"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn endpoints_and_disabled_gates_are_independent() {
        let sleeper = Counting::default();
        let gate = gate();
        let mut ticket = Ticket::default();
        let pass = admit(&gate, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        pass.finish(Some((429, &answer(0, 30))), &mut ticket);
        let other = gate
            .admit(&Method::POST, PATH, None, &sleeper, &mut Ticket::default())
            .await;
        assert!(other.is_ok(), "another endpoint has its own bucket");

        let off = Gate::new(false, RateLimitNames::parse(&OKTA).ok());
        let pass = admit(&off, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        pass.finish(Some((429, &answer(0, 30))), &mut ticket);
        let deadline = Some(Instant::now() + Duration::from_secs(1));
        assert!(admit(&off, deadline, &sleeper, &mut Ticket::default())
            .await
            .is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_header_far_in_the_future_does_not_overflow() {
        let (gate, sleeper) = (gate(), Counting::default());
        let mut ticket = Ticket::default();
        let mut headers = answer(0, 1);
        headers.insert(
            "x-rate-limit-reset",
            HeaderValue::from_static("18446744073709551615"),
        );
        let pass = admit(&gate, None, &sleeper, &mut ticket)
            .await
            .expect("open");
        pass.finish(Some((429, &headers)), &mut ticket);
        let deadline = Some(Instant::now() + Duration::from_secs(60));
        let held = admit(&gate, deadline, &sleeper, &mut Ticket::default()).await;
        assert_eq!(held.err(), Some(DeadlineFirst));
    }
}
