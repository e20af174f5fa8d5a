//! The token cache behind every token-based auth: one token per client, at most one fetch at a
//! time however many calls wait for it, and no waiting call can hang or fail the others by going
//! away.
//!
//! A fetch is a `Shared` future that every waiting call holds; the cache keeps only a weak
//! handle to it. Whichever waiter is polled drives the fetch, so the call that started it may be
//! dropped (its deadline passed, its task was cancelled) while the others still get the token.
//! When every waiter is gone the fetch goes with them (its HTTP request is cancelled) and the
//! next call starts a fresh one: a fetch nobody polled for a while would only end in a timeout.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures_util::future::{FutureExt, Shared, WeakShared};
use tokio::time::Instant;

use super::error::{Error, TokenError};
use super::rate_limit::RateLimitNames;
use super::response::BodyLimits;
use super::retry::{RetryPolicy, Sleeper};
use super::token::{AuthContext, Token, TokenSource};
use super::BoxFuture;

/// A token is reused until this long before it expires (or a tenth of its lifetime, if shorter).
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// What every waiter of one fetch gets: the token and its generation, or the error (shared, so
/// each waiter receives its own copy of it).
type Outcome = Result<(Token, u64), Arc<Error>>;
type Fetch = BoxFuture<'static, Outcome>;

struct Cached {
    token: Token,
    /// `None`: no expiry given (or one too far away to represent); used until a 401.
    refresh_at: Option<Instant>,
    generation: u64,
}

impl Cached {
    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

/// When a token received `now` should be replaced. Saturating: a server may send any
/// `expires_in`, and an instant past the clock's range means "not in this process's lifetime".
fn refresh_at(now: Instant, lifetime: Option<Duration>) -> Option<Instant> {
    let lifetime = lifetime?;
    let margin = EXPIRY_MARGIN.min(lifetime / 10);
    now.checked_add(lifetime.saturating_sub(margin))
}

#[derive(Default)]
struct Slot {
    current: Option<Cached>,
    /// The fetch in progress, if any waiter still holds it.
    fetch: Option<WeakShared<Fetch>>,
    generations: u64,
}

struct State<S> {
    source: S,
    slot: Mutex<Slot>,
}

impl<S> State<S> {
    /// The slot is only ever held for a few field updates, never across an await; a poisoned
    /// lock (a panic elsewhere while holding it) still guards consistent data.
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self, result: Result<Token, Error>) -> Outcome {
        let mut slot = self.lock();
        // Only one fetch runs at a time and this is it: the next call may start another.
        slot.fetch = None;
        let token = result.map_err(Arc::new)?;
        slot.generations = slot.generations.wrapping_add(1);
        let generation = slot.generations;
        slot.current = Some(Cached {
            token: token.clone(),
            refresh_at: refresh_at(Instant::now(), token.expires_in),
            generation,
        });
        Ok((token, generation))
    }
}

/// The parts of an [`AuthContext`] a fetch needs, owned: the fetch outlives the call that
/// started it.
struct OwnedContext {
    method: reqwest::Method,
    url: reqwest::Url,
    base_url: String,
    http: reqwest::Client,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimitNames>,
    sleeper: Arc<dyn Sleeper>,
    body_limits: BodyLimits,
    deadline: Option<Duration>,
}

impl OwnedContext {
    fn new(context: &AuthContext<'_>) -> Self {
        Self {
            method: context.method.clone(),
            url: context.url.clone(),
            base_url: context.base_url.to_owned(),
            http: context.http.clone(),
            timeout: context.timeout,
            retry: context.retry.clone(),
            rate_limit: context.rate_limit.cloned(),
            sleeper: Arc::clone(context.sleeper),
            body_limits: context.body_limits,
            deadline: context.deadline,
        }
    }

    fn context(&self) -> AuthContext<'_> {
        AuthContext {
            method: &self.method,
            url: &self.url,
            base_url: &self.base_url,
            http: &self.http,
            timeout: self.timeout,
            retry: &self.retry,
            rate_limit: self.rate_limit.as_ref(),
            sleeper: &self.sleeper,
            body_limits: self.body_limits,
            deadline: self.deadline,
        }
    }
}

/// One token shared by every call of a client (see the module docs).
pub(crate) struct TokenCache<S> {
    state: Arc<State<S>>,
}

impl<S: TokenSource + 'static> TokenCache<S> {
    pub(crate) fn new(source: S) -> Self {
        Self {
            state: Arc::new(State {
                source,
                slot: Mutex::new(Slot::default()),
            }),
        }
    }

    /// The current token and its generation, joining the fetch in progress or starting one if
    /// there is no fresh token.
    pub(crate) async fn get(&self, context: AuthContext<'_>) -> Result<(Token, u64), Error> {
        let fetch = {
            let mut slot = self.state.lock();
            if let Some(cached) = slot.current.as_ref().filter(|c| c.is_fresh(Instant::now())) {
                return Ok((cached.token.clone(), cached.generation));
            }
            match slot.fetch.as_ref().and_then(WeakShared::upgrade) {
                Some(fetch) => fetch,
                None => {
                    let fetch = self.start(&context);
                    slot.fetch = fetch.downgrade();
                    fetch
                }
            }
        };
        fetch.await.map_err(|error| error.duplicate())
    }

    fn start(&self, context: &AuthContext<'_>) -> Shared<Fetch> {
        let state = Arc::clone(&self.state);
        let context = OwnedContext::new(context);
        let fetch: Fetch = Box::pin(async move {
            // A shared future that panics panics every waiter, in every task: a token source
            // that panics fails this fetch instead, like any other fetch error. No lock is
            // held while it runs, so nothing is left half-updated.
            let result = AssertUnwindSafe(state.source.fetch(context.context()))
                .catch_unwind()
                .await
                .unwrap_or_else(|_| {
                    Err(Error::Token(Box::new(TokenError::new(
                        0,
                        Some("token_source_panicked"),
                        Some("the token source panicked while fetching a token"),
                    ))))
                });
            state.store(result)
        });
        fetch.shared()
    }

    pub(crate) fn source(&self) -> &S {
        &self.state.source
    }

    /// Drops the token of `generation` if it is still the current one, so that N calls that
    /// all got a 401 with the same token cause one fetch, not N.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut slot = self.state.lock();
        if slot
            .current
            .as_ref()
            .is_some_and(|c| c.generation == generation)
        {
            slot.current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_lifetimes_never_overflow_the_clock() {
        let now = Instant::now();
        // `expires_in` of 1e19 seconds: "overflow when adding duration to instant" before
        assert_eq!(
            refresh_at(now, Some(Duration::from_secs(10_000_000_000_000_000_000))),
            None
        );
        assert_eq!(refresh_at(now, Some(Duration::MAX)), None);
        assert_eq!(refresh_at(now, None), None);
        assert_eq!(
            refresh_at(now, Some(Duration::from_secs(600))),
            Some(now + Duration::from_secs(540))
        );
        assert_eq!(
            refresh_at(now, Some(Duration::from_secs(100))),
            Some(now + Duration::from_secs(90))
        );
    }

    proptest::proptest! {
        /// Any `expires_in` a server can send (`as_u64` of its JSON) is a refresh time or
        /// "never", not a panic, and a refresh never comes after the expiry.
        #[test]
        fn any_expires_in_is_a_refresh_time_or_never(seconds in proptest::prelude::any::<u64>()) {
            let now = Instant::now();
            let lifetime = Duration::from_secs(seconds);
            if let Some(at) = refresh_at(now, Some(lifetime)) {
                proptest::prop_assert!(at >= now);
                proptest::prop_assert!(at.duration_since(now) <= lifetime);
            }
        }
    }
}
