//! When the next sync runs: soon after a local write (a short pause lets a burst of writes
//! go up together, but never much later than the first), every few minutes while all is
//! well, at once on "sync now" or after signing in, and less and less often while the
//! server cannot be reached. Pure: it is given the time.

use std::time::{Duration, Instant};

/// The intervals the schedule keeps.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// A sync waits this long after the last local write...
    pub debounce: Duration,
    /// ...but no longer than this after the first write it waits for.
    pub max_delay: Duration,
    /// A sync this often while nothing else asks for one.
    pub every: Duration,
    /// The first retry after the server could not be reached; doubled at each failure...
    pub retry_min: Duration,
    /// ...up to this.
    pub retry_max: Duration,
}

impl Timing {
    pub const STANDARD: Timing = Timing {
        debounce: Duration::from_secs(2),
        max_delay: Duration::from_secs(10),
        every: Duration::from_secs(5 * 60),
        retry_min: Duration::from_secs(5),
        retry_max: Duration::from_secs(60),
    };

    /// The standard timing; `FIELDBOOK_SYNC_EVERY_SECS` and `FIELDBOOK_SYNC_RETRY_MAX_SECS`
    /// override the periodic interval and the longest wait between retries.
    pub fn from_env() -> Timing {
        let secs = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|s| *s > 0)
                .map(Duration::from_secs)
        };
        let mut t = Timing::STANDARD;
        if let Some(every) = secs("FIELDBOOK_SYNC_EVERY_SECS") {
            t.every = every;
        }
        if let Some(max) = secs("FIELDBOOK_SYNC_RETRY_MAX_SECS") {
            t.retry_max = max;
            t.retry_min = t.retry_min.min(max);
        }
        t
    }
}

/// The next sync's time, and what it is waiting for.
#[derive(Debug)]
pub struct Schedule {
    timing: Timing,
    /// The periodic sync, a retry, or one asked for now.
    base: Option<Instant>,
    /// The sync after local writes.
    write: Option<Instant>,
    /// The first local write not yet synced.
    first_write: Option<Instant>,
    /// While the server cannot be reached: the current wait between attempts.
    retry: Option<Duration>,
}

impl Schedule {
    pub fn new(timing: Timing) -> Schedule {
        Schedule {
            timing,
            base: None,
            write: None,
            first_write: None,
            retry: None,
        }
    }

    /// When the next sync runs (`None`: only when asked). While offline, local writes do
    /// not hurry the next attempt.
    pub fn due(&self) -> Option<Instant> {
        if self.retry.is_some() {
            return self.base;
        }
        match (self.base, self.write) {
            (Some(b), Some(w)) => Some(b.min(w)),
            (b, w) => b.or(w),
        }
    }

    /// A local write: sync after a pause, but not much after the first write waiting.
    pub fn on_write(&mut self, now: Instant) {
        let first = *self.first_write.get_or_insert(now);
        self.write = Some((now + self.timing.debounce).min(first + self.timing.max_delay));
    }

    /// "Sync now", a sign-in, the app's start: at once.
    pub fn on_now(&mut self, now: Instant) {
        self.base = Some(now);
    }

    /// A sync completed: the next one in the periodic interval (or sooner, for writes
    /// made while it ran: the caller reports them with [`Schedule::on_write`] after this).
    pub fn after_success(&mut self, now: Instant) {
        self.retry = None;
        self.first_write = None;
        self.write = None;
        self.base = Some(now + self.timing.every);
    }

    /// The server could not be reached: try again later, each time waiting longer.
    pub fn after_offline(&mut self, now: Instant) {
        let wait = match self.retry {
            None => self.timing.retry_min,
            Some(w) => (w * 2).min(self.timing.retry_max),
        };
        self.retry = Some(wait);
        self.base = Some(now + wait);
    }

    /// A failure that waiting does not fix (refused sign-in, deactivated user, signed
    /// out): no sync until asked.
    pub fn stop(&mut self) {
        *self = Schedule::new(self.timing);
    }

    /// Whether the last attempt could not reach the server.
    pub fn is_offline(&self) -> bool {
        self.retry.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timing = Timing::STANDARD;

    #[test]
    fn writes_sync_after_a_pause_but_not_much_after_the_first() {
        let start = Instant::now();
        let mut s = Schedule::new(T);
        s.on_write(start);
        assert_eq!(s.due(), Some(start + T.debounce));
        // Writes every second push it on, up to max_delay after the first.
        for i in 1..30 {
            s.on_write(start + Duration::from_secs(i));
        }
        assert_eq!(s.due(), Some(start + T.max_delay));
        s.after_success(start + T.max_delay);
        assert_eq!(s.due(), Some(start + T.max_delay + T.every));
    }

    #[test]
    fn offline_waits_longer_each_time_up_to_a_cap_and_writes_do_not_hurry_it() {
        let now = Instant::now();
        let mut s = Schedule::new(T);
        let mut waits = Vec::new();
        for _ in 0..6 {
            s.after_offline(now);
            waits.push(s.due().unwrap() - now);
        }
        let secs: Vec<u64> = waits.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60]);
        assert!(s.is_offline());
        s.on_write(now);
        assert_eq!(s.due(), Some(now + Duration::from_secs(60)));
        // "Sync now" tries at once; success ends the backing off.
        s.on_now(now);
        assert_eq!(s.due(), Some(now));
        s.after_success(now);
        assert!(!s.is_offline());
        s.after_offline(now);
        assert_eq!(s.due(), Some(now + T.retry_min));
        s.stop();
        assert_eq!(s.due(), None);
    }
}
