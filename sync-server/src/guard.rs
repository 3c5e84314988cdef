//! How signing in is slowed and stopped under guessing, and how long tokens live: the
//! [`LoginPolicy`] (free attempts, growing delays, the lock, token lifetime), the delay a
//! number of failures earns ([`LoginPolicy::wait`]), [`Strikes`], the failures kept in
//! memory per client address and per unknown user name, and [`Holds`], what is in flight
//! per key (sign-ins per user and address, requests per token, connections per address).
//!
//! Why a small keyed state rather than `governor`: governor (GCRA) admits a steady rate
//! of requests per key whatever their outcome; here only *failed* attempts count, a
//! success resets a user's count, each further failure doubles the wait (an answer says
//! exactly how long: `Retry-After`), and a user's count must outlive a restart (it is
//! stored with the user, through the storage's `LoginRepo`). The same arithmetic serves
//! the stored per-user state and the in-memory per-address state, so it lives here once.
//!
//! Pure: knows nothing of storage, HTTP or the clock (callers pass `now`).

use parking_lot::Mutex;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How sign-in attempts are limited, and how long tokens live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failed attempts for one user name before each further one must wait.
    pub user_free: u32,
    /// Failed attempts from one address (any user names) before each further one must wait.
    pub address_free: u32,
    /// The first wait; each further failure doubles it.
    pub base_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// Failed attempts in a row that lock a user until an admin unlocks them (0: never).
    pub lock_after: u32,
    /// How long a token lives from sign-in (`None`: until revoked).
    pub token_ttl: Option<Duration>,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            user_free: 3,
            address_free: 20,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
            lock_after: 10,
            token_ttl: Some(Duration::from_secs(90 * 24 * 3600)),
        }
    }
}

impl LoginPolicy {
    /// How long after its last failure the next attempt must wait, given `failures` so far
    /// and `free` of them without a wait: nothing until `free`, then `base_delay`, doubling
    /// with each failure up to `max_delay`.
    pub fn delay(&self, failures: u32, free: u32) -> Duration {
        if failures < free || self.base_delay.is_zero() {
            return Duration::ZERO;
        }
        let doublings = (failures - free).min(30);
        self.base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }

    /// How long an attempt at `now` must still wait (`None`: it may go ahead).
    pub fn wait(
        &self,
        failures: u32,
        free: u32,
        last: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Option<Duration> {
        let last = last?;
        let until = last + self.delay(failures, free);
        (until > now).then(|| (until - now).unsigned_abs())
    }

    /// Whether `failures` in a row lock the user.
    pub fn locks(&self, failures: u32) -> bool {
        self.lock_after > 0 && failures >= self.lock_after
    }

    /// When a token issued at `issued` stops working, by this policy.
    pub fn expiry(&self, issued: OffsetDateTime) -> Option<OffsetDateTime> {
        self.token_ttl.map(|ttl| issued + ttl)
    }
}

/// One key's failed attempts kept in memory.
#[derive(Clone, Copy, Debug)]
struct Strike {
    failures: u32,
    last: OffsetDateTime,
}

/// Failed attempts per key (a client address, an unknown user name), in memory: lost at a
/// restart, which costs an attacker nothing they could not get by waiting. Keys whose
/// wait is over and whose failures are older than `forget_after` are dropped as new ones
/// come, so the map stays as small as the attack.
pub struct Strikes<K> {
    map: Mutex<HashMap<K, Strike>>,
    forget_after: Duration,
}

/// Entries kept before a sweep of the forgettable ones.
const SWEEP_AT: usize = 4096;

impl<K: Eq + Hash + Clone> Strikes<K> {
    pub fn new(forget_after: Duration) -> Strikes<K> {
        Strikes {
            map: Mutex::new(HashMap::new()),
            forget_after,
        }
    }

    /// The failures of `key` and when the last was (`0, None`: none remembered).
    pub fn get(&self, key: &K, now: OffsetDateTime) -> (u32, Option<OffsetDateTime>) {
        match self.map.lock().get(key) {
            Some(s) if now - s.last < self.forget_after => (s.failures, Some(s.last)),
            _ => (0, None),
        }
    }

    /// Counts a failure of `key` at `now`; returns how many there are.
    pub fn fail(&self, key: &K, now: OffsetDateTime) -> u32 {
        let mut map = self.map.lock();
        if map.len() >= SWEEP_AT {
            let forget = self.forget_after;
            map.retain(|_, s| now - s.last < forget);
        }
        let s = map.entry(key.clone()).or_insert(Strike {
            failures: 0,
            last: now,
        });
        if now - s.last >= self.forget_after {
            s.failures = 0;
        }
        s.failures += 1;
        s.last = now;
        s.failures
    }

    /// Forgets `key`'s failures.
    pub fn clear(&self, key: &K) {
        self.map.lock().remove(key);
    }
}

/// Counts of things held at once per key, each released when its [`Held`] is dropped.
#[derive(Debug)]
pub struct Holds<K: Eq + Hash + Clone> {
    held: Mutex<HashMap<K, usize>>,
}

impl<K: Eq + Hash + Clone> Default for Holds<K> {
    fn default() -> Self {
        Holds {
            held: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone> Holds<K> {
    /// Takes one for `key` if fewer than `max` are held.
    pub fn take(self: &Arc<Self>, key: K, max: usize) -> Option<Held<K>> {
        let mut held = self.held.lock();
        let n = held.entry(key.clone()).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Held {
            holds: self.clone(),
            key,
        })
    }

    /// How many `key` holds.
    pub fn count(&self, key: &K) -> usize {
        self.held.lock().get(key).copied().unwrap_or(0)
    }
}

/// One thing held; released when dropped.
#[derive(Debug)]
pub struct Held<K: Eq + Hash + Clone> {
    holds: Arc<Holds<K>>,
    key: K,
}

impl<K: Eq + Hash + Clone> Drop for Held<K> {
    fn drop(&mut self) {
        let mut held = self.holds.held.lock();
        if let Some(n) = held.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn holds_are_counted_per_key_and_released_when_dropped() {
        let holds = Arc::new(Holds::default());
        let a1 = holds.take("a", 2).unwrap();
        let a2 = holds.take("a", 2).unwrap();
        assert!(holds.take("a", 2).is_none());
        assert!(holds.take("b", 2).is_some());
        drop(a1);
        assert_eq!(holds.count(&"a"), 1);
        let _a3 = holds.take("a", 2).unwrap();
        drop(a2);
        assert_eq!(holds.count(&"a"), 1);
    }

    #[test]
    fn delays_start_after_the_free_attempts_and_double_up_to_the_cap() {
        let p = LoginPolicy {
            max_delay: secs(10),
            ..LoginPolicy::default()
        };
        let waits: Vec<u64> = (0..9).map(|f| p.delay(f, 3).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 10, 10]);
        assert_eq!(p.delay(u32::MAX, 3), secs(10));
        let none = LoginPolicy {
            base_delay: Duration::ZERO,
            ..p
        };
        assert_eq!(none.delay(50, 3), Duration::ZERO);
    }

    #[test]
    fn an_attempt_waits_what_remains_of_the_delay() {
        let p = LoginPolicy::default();
        let last = datetime!(2026-01-01 10:00:00 UTC);
        assert_eq!(p.wait(4, 3, Some(last), last + secs(1)), Some(secs(1)));
        assert_eq!(p.wait(4, 3, Some(last), last + secs(2)), None);
        assert_eq!(p.wait(2, 3, Some(last), last), None);
        assert_eq!(p.wait(9, 3, None, last), None);
    }

    #[test]
    fn locks_and_expiry_follow_the_policy() {
        let p = LoginPolicy::default();
        assert!(!p.locks(9) && p.locks(10) && p.locks(11));
        let never = LoginPolicy {
            lock_after: 0,
            token_ttl: None,
            ..p.clone()
        };
        assert!(!never.locks(1000));
        let t = datetime!(2026-01-01 0:00 UTC);
        assert_eq!(p.expiry(t), Some(datetime!(2026-04-01 0:00 UTC)));
        assert_eq!(never.expiry(t), None);
    }

    #[test]
    fn strikes_count_per_key_and_are_forgotten_after_a_while() {
        let s = Strikes::new(secs(60));
        let t = datetime!(2026-01-01 10:00:00 UTC);
        assert_eq!(s.fail(&"a", t), 1);
        assert_eq!(s.fail(&"a", t + secs(1)), 2);
        assert_eq!(s.fail(&"b", t), 1);
        assert_eq!(s.get(&"a", t + secs(2)), (2, Some(t + secs(1))));
        assert_eq!(s.get(&"a", t + secs(61)), (0, None));
        assert_eq!(s.fail(&"a", t + secs(62)), 1);
        s.clear(&"b");
        assert_eq!(s.get(&"b", t), (0, None));
    }
}
