//! The future-event list.

use super::Time;

/// Children per node of the heap: a 4-ary heap is half as deep as a binary one, and a node's children share a
/// cache line or two.
const ARITY: usize = 4;

/// The clock and the future-event list.
#[derive(Debug)]
pub struct Scheduler<E> {
    now: Time,
    next_sequence: u64,
    /// A min-heap on `key`: `heap[i].key <= heap[c].key` for every child `c` of `i` (`ARITY * i + 1 ..`), except
    /// that the root's slot holds no event while `root_vacant`.
    heap: Vec<Entry<E>>,
    /// Whether `heap[0]` is the slot of the event last popped, waiting to be filled.
    root_vacant: bool,
}

#[derive(Debug, Clone, Copy)]
struct Entry<E> {
    /// The time's bit pattern in the high 64 bits, the scheduling order in the low 64 bits. Times are never
    /// negative (the clock starts at 0 and events are never scheduled in the past), and non-negative floats order
    /// like their bit patterns, so one integer comparison orders by time, then breaks ties between equal times
    /// deterministically (first in, first out). Keys are unique, so the order of pops is fully determined.
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> Time {
        f64::from_bits((self.key >> 64) as u64)
    }
}

impl<E: Copy> Default for Scheduler<E> {
    fn default() -> Self {
        Scheduler::new()
    }
}

impl<E: Copy> Scheduler<E> {
    /// An empty schedule at time 0.
    pub fn new() -> Scheduler<E> {
        Scheduler { now: 0.0, next_sequence: 0, heap: Vec::new(), root_vacant: false }
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
        let key = (u128::from(time.to_bits()) << 64) | u128::from(sequence);
        let entry = Entry { key, event };
        if self.root_vacant {
            self.root_vacant = false;
            sift_down(&mut self.heap, entry);
        } else {
            self.heap.push(entry);
            let hole = self.heap.len() - 1;
            sift_up(&mut self.heap, hole, entry);
        }
    }

    /// Schedules `event` after `delay` (non-negative) from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.root_vacant)
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes every event and resets the clock to 0, keeping the allocated capacity for reuse.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.root_vacant = false;
        self.now = 0.0;
        self.next_sequence = 0;
    }

    /// Pops the next event if it is before `until`, advancing the clock to its time.
    ///
    /// The popped entry's slot at the root is left as a hole, filled by the first event scheduled while the
    /// popped one is handled (one sift down from the root instead of a sift down and a sift up), or by the last
    /// entry at the next pop. An arrival process that schedules its next arrival when handling one thus costs
    /// one comparison with the root's children when that arrival is the next event, as it usually is.
    #[inline]
    pub fn pop_before(&mut self, until: Time) -> Option<E> {
        if self.root_vacant {
            self.fill_root_with_last();
        }
        let entry = *self.heap.first()?;
        if entry.time() >= until {
            return None;
        }
        self.root_vacant = true;
        self.now = entry.time();
        Some(entry.event)
    }

    /// Moves the last entry into the vacant root and sifts it down.
    #[inline]
    fn fill_root_with_last(&mut self) {
        self.root_vacant = false;
        let last = self.heap.pop().expect("a vacant root is a slot of the heap");
        if !self.heap.is_empty() {
            sift_down(&mut self.heap, last);
        }
    }
}

/// Puts `entry` in the hole at the root, moving earlier children up into the hole until no child is earlier.
#[inline]
fn sift_down<E: Copy>(heap: &mut [Entry<E>], entry: Entry<E>) {
    let n = heap.len();
    let mut hole = 0;
    loop {
        let first = ARITY * hole + 1;
        if first >= n {
            break;
        }
        let (child, child_key) = if let Some([c0, c1, c2, c3]) = heap.get(first..first + ARITY) {
            // A full family: the earliest of four in three comparisons of keys read once.
            let (i01, k01) = if c1.key < c0.key { (1, c1.key) } else { (0, c0.key) };
            let (i23, k23) = if c3.key < c2.key { (3, c3.key) } else { (2, c2.key) };
            if k23 < k01 { (first + i23, k23) } else { (first + i01, k01) }
        } else {
            let mut best = (first, heap[first].key);
            for (c, e) in heap.iter().enumerate().skip(first + 1) {
                if e.key < best.1 {
                    best = (c, e.key);
                }
            }
            best
        };
        if entry.key <= child_key {
            break;
        }
        heap[hole] = heap[child];
        hole = child;
    }
    heap[hole] = entry;
}

/// Puts `entry` in the hole at `hole`, moving later parents down into the hole until its parent is earlier.
#[inline]
fn sift_up<E: Copy>(heap: &mut [Entry<E>], mut hole: usize, entry: Entry<E>) {
    while hole > 0 {
        let parent = (hole - 1) / ARITY;
        if heap[parent].key <= entry.key {
            break;
        }
        heap[hole] = heap[parent];
        hole = parent;
    }
    heap[hole] = entry;
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
    fn interleaved_schedules_and_pops_follow_time_then_scheduling_order() {
        // A simple LCG picks times from a few values (many ties) and how many to pop between schedules.
        let mut x: u64 = 12345;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        let mut s = Scheduler::new();
        let mut reference: Vec<(f64, u64)> = Vec::new();
        let mut popped = Vec::new();
        let mut expected = Vec::new();
        for id in 0..2000u64 {
            let at = s.now() + (next() % 8) as f64 * 0.5;
            s.schedule(at, id);
            reference.push((at, id));
            for _ in 0..next() % 3 {
                // The reference pops the earliest time, and among equal times the first scheduled.
                let Some(k) = (0..reference.len()).min_by(|&a, &b| {
                    reference[a].0.total_cmp(&reference[b].0).then(reference[a].1.cmp(&reference[b].1))
                }) else {
                    break;
                };
                expected.push(reference.remove(k).1);
                popped.push(s.pop_before(f64::INFINITY).expect("not empty"));
            }
        }
        assert_eq!(popped, expected);
        reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let rest: Vec<u64> = std::iter::from_fn(|| s.pop_before(f64::INFINITY)).collect();
        assert_eq!(rest, reference.iter().map(|r| r.1).collect::<Vec<_>>());
    }

    #[test]
    fn a_popped_event_no_longer_counts_while_its_slot_waits_to_be_filled() {
        let mut s = Scheduler::new();
        s.schedule(1.0, 1);
        s.schedule(2.0, 2);
        assert_eq!(s.pop_before(10.0), Some(1));
        assert_eq!(s.len(), 1, "the vacant root is not an event");
        s.schedule(1.5, 15);
        assert_eq!(s.len(), 2);
        assert_eq!(s.pop_before(10.0), Some(15));
        assert_eq!(s.pop_before(10.0), Some(2));
        assert!(s.is_empty(), "one vacant slot left, no event");
        assert_eq!(s.pop_before(10.0), None);
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
