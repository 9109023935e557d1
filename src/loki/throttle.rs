//! How many requests one query keeps in flight, lowered when Loki pushes back (429 or 503):
//! concurrent slices must not turn one user's query into a load Loki has to refuse.
//!
//! The waits themselves (`Retry-After`, exponential backoff) are the HTTP layer's; this only
//! takes a permit away each time a request was throttled, down to one at a time.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Permits for requests in flight, shrinking on throttling.
#[derive(Debug)]
pub struct Limiter {
    sem: Semaphore,
    /// Permits that exist (held or free).
    capacity: AtomicUsize,
    /// Permits to retire as they come back.
    debt: AtomicUsize,
}

/// One request's permit; returned (or retired, after throttling) on drop.
#[derive(Debug)]
pub struct Slot<'a> {
    limiter: &'a Limiter,
    permit: Option<SemaphorePermit<'a>>,
}

impl Limiter {
    pub fn new(permits: usize) -> Self {
        let permits = permits.max(1);
        Self {
            sem: Semaphore::new(permits),
            capacity: AtomicUsize::new(permits),
            debt: AtomicUsize::new(0),
        }
    }

    /// Waits for a free permit.
    pub async fn acquire(&self) -> Slot<'_> {
        // The semaphore is never closed, so this cannot fail; a failure would only mean
        // going on without a permit.
        let permit = self.sem.acquire().await.ok();
        Slot {
            limiter: self,
            permit,
        }
    }

    /// Loki refused a request for load: one permit fewer from now on (never below one).
    pub fn throttled(&self) {
        let lowered = self
            .capacity
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| {
                (c > 1).then(|| c - 1)
            });
        if lowered.is_ok() {
            // A free permit is retired now; otherwise the next one to come back is.
            match self.sem.try_acquire() {
                Ok(p) => p.forget(),
                Err(_) => {
                    self.debt.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
    }

    /// Requests allowed in flight now.
    pub fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Acquire)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let paid = self
            .limiter
            .debt
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |d| d.checked_sub(1));
        if paid.is_ok() {
            permit.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn throttling_retires_permits_down_to_one() {
        let l = Limiter::new(3);
        let a = l.acquire().now_or_never().expect("free");
        let b = l.acquire().now_or_never().expect("free");
        l.throttled(); // the third, free permit is retired at once
        assert_eq!(l.capacity(), 2);
        assert!(l.acquire().now_or_never().is_none());
        l.throttled(); // both held: the next one back is retired
        drop(a);
        assert!(l.acquire().now_or_never().is_none());
        l.throttled(); // never below one
        assert_eq!(l.capacity(), 1);
        drop(b);
        let c = l.acquire().now_or_never().expect("one left");
        assert!(l.acquire().now_or_never().is_none());
        drop(c);
        assert!(l.acquire().now_or_never().is_some());
    }
}
