//! The future-event list.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::Time;

/// The clock and the future-event list.
#[derive(Debug)]
pub struct Scheduler<E> {
    now: Time,
    next_sequence: u64,
    heap: BinaryHeap<Entry<E>>,
}

#[derive(Debug)]
struct Entry<E> {
    /// The time's bit pattern. Times are never negative (the clock starts at 0 and events are never scheduled in
    /// the past), and non-negative floats order like their bit patterns, so integers compare faster and alike.
    time_bits: u64,
    /// Scheduling order; breaks ties between equal times deterministically (first in, first out).
    sequence: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> Time {
        f64::from_bits(self.time_bits)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the earliest (time, sequence) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_bits, other.sequence).cmp(&(self.time_bits, self.sequence))
    }
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler::new()
    }
}

impl<E> Scheduler<E> {
    /// An empty schedule at time 0.
    pub fn new() -> Scheduler<E> {
        Scheduler { now: 0.0, next_sequence: 0, heap: BinaryHeap::new() }
    }

    /// The current time: that of the event being handled.
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at absolute time `at`, which must not be in the past.
    #[inline]
    pub fn schedule(&mut self, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past: {at} < {}", self.now);
        debug_assert!(!at.is_nan(), "event scheduled at NaN");
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        // `+ 0.0` turns −0.0 into +0.0, whose bits order correctly.
        let time = at.max(self.now) + 0.0;
        self.heap.push(Entry { time_bits: time.to_bits(), sequence, event });
    }

    /// Schedules `event` after `delay` (non-negative) from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Removes every event and resets the clock to 0, keeping the allocated capacity for reuse.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.now = 0.0;
        self.next_sequence = 0;
    }

    /// Pops the next event if it is before `until`, advancing the clock to its time.
    #[inline]
    pub fn pop_before(&mut self, until: Time) -> Option<E> {
        if self.heap.peek()?.time() >= until {
            return None;
        }
        let entry = self.heap.pop()?;
        self.now = entry.time();
        Some(entry.event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_scheduling_order() {
        let mut s = Scheduler::new();
        s.schedule(2.0, "late");
        s.schedule(1.0, "first at 1");
        s.schedule(1.0, "second at 1");
        s.schedule(0.5, "early");
        s.schedule(1.0, "third at 1");
        let order: Vec<_> = std::iter::from_fn(|| s.pop_before(10.0)).collect();
        assert_eq!(order, ["early", "first at 1", "second at 1", "third at 1", "late"]);
        assert_eq!(s.now(), 2.0);
    }

    #[test]
    fn stops_before_the_horizon_and_keeps_later_events() {
        let mut s = Scheduler::new();
        s.schedule(1.0, 1);
        s.schedule(5.0, 5);
        assert_eq!(s.pop_before(5.0), Some(1));
        assert_eq!(s.pop_before(5.0), None);
        assert_eq!(s.len(), 1);
        s.clear();
        assert!(s.is_empty());
        assert_eq!(s.now(), 0.0);
    }
}
