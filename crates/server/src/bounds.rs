//! Caps on work in flight, so load or an attacker cannot take the whole process: how many
//! password checks run at once (each argon2 check holds 19 MiB and a CPU for tens of
//! milliseconds), and how many pushes one user runs at once (each holds a database connection
//! for its transaction).
//!
//! Both wait a bounded time for a slot, then answer 429 `rate_limited` with `Retry-After`: a
//! short burst (a team signing in at nine, two devices of one person syncing together) queues
//! and succeeds; a flood is refused without piling up. The desktop client treats 429 as
//! transient and backs off. The caps are per process, like [`crate::ratelimit`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, ApiResult};

/// How many at once, and how long an excess request waits for a turn before its 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub max: usize,
    pub wait: Duration,
}

impl Cap {
    /// Concurrent password checks: one per CPU (more only queue for the CPUs), waiting up to
    /// 30 s, enough for a few hundred sign-ins arriving at once.
    pub fn password_checks() -> Cap {
        Cap {
            max: std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            wait: Duration::from_secs(30),
        }
    }

    /// Concurrent pushes of one user: a person has a few devices, each pushing its batches one
    /// after another, so 4 is ample; with the default 16 connections one user can hold at most
    /// a quarter of the pool.
    pub fn pushes_per_user() -> Cap {
        Cap {
            max: 4,
            wait: Duration::from_secs(10),
        }
    }

    fn max(&self) -> usize {
        self.max.clamp(1, Semaphore::MAX_PERMITS)
    }
}

/// Waits up to `wait` for a permit of `semaphore`.
async fn acquire(
    semaphore: Arc<Semaphore>,
    wait: Duration,
    busy: &str,
) -> ApiResult<OwnedSemaphorePermit> {
    let refused = || ApiError::RateLimited {
        message: busy.to_string(),
        retry_after: Duration::from_secs(1),
    };
    if let Ok(permit) = semaphore.clone().try_acquire_owned() {
        return Ok(permit);
    }
    match tokio::time::timeout(wait, semaphore.acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        // Timed out, or closed (never: nothing closes these semaphores).
        _ => Err(refused()),
    }
}

/// The cap on concurrent password checks of this process.
#[derive(Debug)]
pub struct PasswordChecks {
    semaphore: Arc<Semaphore>,
    wait: Duration,
}

impl PasswordChecks {
    pub fn new(cap: Cap) -> PasswordChecks {
        PasswordChecks {
            semaphore: Arc::new(Semaphore::new(cap.max())),
            wait: cap.wait,
        }
    }

    /// A turn to check one password; hold it for the check.
    pub async fn turn(&self) -> ApiResult<OwnedSemaphorePermit> {
        acquire(
            self.semaphore.clone(),
            self.wait,
            "the server is busy checking other sign-ins: try again in a moment",
        )
        .await
    }
}

/// Per-user caps on concurrent pushes. A user's semaphore exists while they have a push in
/// flight or waiting, so memory follows the users pushing right now.
#[derive(Debug)]
pub struct UserSlots {
    cap: Cap,
    users: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// The most slots any one user has held at once (for tests and diagnostics).
    peak: AtomicUsize,
}

/// One user's slot, released on drop.
#[derive(Debug)]
pub struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    user: String,
    slots: Arc<UserSlots>,
}

impl UserSlots {
    pub fn new(cap: Cap) -> Arc<UserSlots> {
        Arc::new(UserSlots {
            cap,
            users: Mutex::new(HashMap::new()),
            peak: AtomicUsize::new(0),
        })
    }

    /// Waits for one of `user_id`'s slots; 429 `rate_limited` when none frees up in time.
    pub async fn acquire(self: &Arc<Self>, user_id: &str) -> ApiResult<Slot> {
        let max = self.cap.max();
        let semaphore = self
            .users
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(user_id.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(max)))
            .clone();
        // Built before the wait so that a refusal also drops the map entry if it is unused.
        let mut slot = Slot {
            permit: None,
            user: user_id.to_string(),
            slots: self.clone(),
        };
        let permit = acquire(
            semaphore,
            self.cap.wait,
            &format!(
                "this user already has {max} pushes in progress (from other devices or \
                 windows): the push is retried in a moment"
            ),
        )
        .await?;
        let held = max - permit.semaphore().available_permits();
        self.peak.fetch_max(held, Ordering::Relaxed);
        slot.permit = Some(permit);
        Ok(slot)
    }

    /// The most pushes one user has had in flight at once since the start.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Users with a push in flight or waiting.
    pub fn users(&self) -> usize {
        self.users
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        drop(self.permit.take());
        let mut users = self
            .slots
            .users
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Only the map holds it: nobody holds or waits for this user's slots any more. Clones
        // are made under this lock, so the count cannot grow behind our back.
        if users
            .get(&self.user)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            users.remove(&self.user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(max: usize, wait_ms: u64) -> Cap {
        Cap {
            max,
            wait: Duration::from_millis(wait_ms),
        }
    }

    #[tokio::test]
    async fn a_user_over_the_cap_is_refused_after_the_wait_and_others_are_not() {
        let slots = UserSlots::new(cap(2, 0));
        let a1 = slots.acquire("a").await.unwrap();
        let _a2 = slots.acquire("a").await.unwrap();
        let err = slots.acquire("a").await.unwrap_err();
        assert_eq!(err.code(), "rate_limited");
        assert!(err.to_string().contains("2 pushes in progress"), "{err}");
        assert!(slots.acquire("b").await.is_ok(), "another user has slots");
        drop(a1);
        assert!(slots.acquire("a").await.is_ok(), "a freed slot is reused");
        assert_eq!(slots.peak(), 2);
    }

    #[tokio::test]
    async fn a_waiting_push_gets_the_slot_freed_within_its_wait() {
        let slots = UserSlots::new(cap(1, 60_000));
        let first = slots.acquire("a").await.unwrap();
        let waiter = tokio::spawn({
            let slots = slots.clone();
            async move { slots.acquire("a").await.map(|_| ()) }
        });
        tokio::task::yield_now().await;
        drop(first);
        waiter.await.unwrap().expect("the waiter got the slot");
        assert_eq!(slots.peak(), 1);
    }

    #[tokio::test]
    async fn idle_users_are_forgotten() {
        let slots = UserSlots::new(cap(1, 0));
        let a = slots.acquire("a").await.unwrap();
        assert!(slots.acquire("a").await.is_err());
        assert_eq!(slots.users(), 1);
        drop(a);
        assert_eq!(slots.users(), 0, "no entry left behind, refused or not");
    }

    #[tokio::test]
    async fn password_checks_beyond_the_cap_wait_then_are_refused() {
        let checks = PasswordChecks::new(cap(1, 10));
        let held = checks.turn().await.unwrap();
        let err = checks.turn().await.unwrap_err();
        assert_eq!(err.code(), "rate_limited");
        drop(held);
        assert!(checks.turn().await.is_ok());
    }
}
