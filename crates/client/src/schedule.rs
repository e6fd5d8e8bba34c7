//! When to sync: at start, on a regular timer, right away when asked (the person pressed "Sync
//! now", or the network came back), and after a failure with exponential back-off and jitter.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use cdesk_core::sync::SyncError;

/// What wakes the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Sync now (a button, a reconnect, a local write).
    Now,
    /// Stop the loop.
    Stop,
}

/// Growing delays between failed attempts, reset by a success.
#[derive(Debug)]
pub struct Backoff {
    builder: ExponentialBuilder,
    delays: ExponentialBackoff,
    max: Duration,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Backoff {
        let builder = ExponentialBuilder::default()
            .with_min_delay(min)
            .with_max_delay(max)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times();
        Backoff {
            delays: builder.build(),
            builder,
            max,
        }
    }

    pub fn next_delay(&mut self) -> Duration {
        self.delays.next().unwrap_or(self.max)
    }

    pub fn reset(&mut self) {
        self.delays = self.builder.build();
    }
}

/// Runs sync attempts until told to stop.
#[derive(Debug)]
pub struct Scheduler {
    /// Between successful syncs.
    pub interval: Duration,
    pub backoff: Backoff,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            interval: Duration::from_secs(60),
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(300)),
        }
    }
}

impl Scheduler {
    /// Attempts at once, then after each wait; `report` sees every result and the next wait.
    pub fn run<T>(
        &mut self,
        triggers: &Receiver<Trigger>,
        mut attempt: impl FnMut() -> Result<T, SyncError>,
        mut report: impl FnMut(&Result<T, SyncError>, Duration),
    ) {
        loop {
            let result = attempt();
            let wait = match &result {
                Ok(_) => {
                    self.backoff.reset();
                    self.interval
                }
                Err(e) if e.is_transient() => self.backoff.next_delay(),
                // Needs the person (sign in, upgrade): keep the regular pace, don't hammer.
                Err(_) => self.interval,
            };
            report(&result, wait);
            match triggers.recv_timeout(wait) {
                Ok(Trigger::Now) | Err(RecvTimeoutError::Timeout) => continue,
                Ok(Trigger::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdesk_core::sync::TransportError;
    use std::sync::mpsc;

    #[test]
    fn delays_grow_up_to_the_maximum_and_reset_after_success() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<Duration> = (0..8).map(|_| b.next_delay()).collect();
        assert!(delays[3] > delays[0], "{delays:?}");
        assert!(
            delays.iter().all(|d| *d <= Duration::from_secs(4)),
            "jitter stays bounded: {delays:?}"
        );
        b.reset();
        assert!(
            b.next_delay() < Duration::from_millis(250),
            "back to the start"
        );
    }

    #[test]
    fn transient_failures_back_off_and_a_trigger_wakes_it() {
        let (tx, rx) = mpsc::channel();
        let mut s = Scheduler {
            interval: Duration::from_secs(3600),
            backoff: Backoff::new(Duration::from_millis(1), Duration::from_millis(4)),
        };
        let mut calls = 0;
        let mut waits = Vec::new();
        s.run(
            &rx,
            || {
                calls += 1;
                match calls {
                    1..=3 => Err(SyncError::Transport(TransportError::Offline("down".into()))),
                    _ => Ok(()),
                }
            },
            |result, wait| {
                waits.push(wait);
                if result.is_ok() {
                    // Success: the next wait is the hour-long interval, so wake it twice then stop.
                    tx.send(Trigger::Now).unwrap();
                    tx.send(Trigger::Stop).unwrap();
                }
            },
        );
        assert_eq!(
            calls, 5,
            "3 failures retried on back-off, a success, one triggered attempt"
        );
        assert!(
            waits[..3].iter().all(|w| *w <= Duration::from_millis(8)),
            "{waits:?}"
        );
        assert_eq!(waits[3], Duration::from_secs(3600));
    }

    #[test]
    fn a_failure_that_needs_the_person_waits_the_regular_interval() {
        let (tx, rx) = mpsc::channel();
        let mut s = Scheduler {
            interval: Duration::from_secs(3600),
            backoff: Backoff::new(Duration::from_millis(1), Duration::from_millis(4)),
        };
        let mut waits = Vec::new();
        s.run(
            &rx,
            || -> Result<(), SyncError> {
                Err(SyncError::Transport(TransportError::Unauthorized(
                    "expired".into(),
                )))
            },
            |_, wait| {
                waits.push(wait);
                tx.send(Trigger::Stop).unwrap();
            },
        );
        assert_eq!(waits, vec![Duration::from_secs(3600)]);
    }
}
