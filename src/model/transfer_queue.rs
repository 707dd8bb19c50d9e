//! Eligible cases waiting for a transfer seat.

use std::collections::VecDeque;

use crate::scenario::QueueDiscipline;

use super::slab::{Slab, SlotRef};

/// A case waiting for a seat.
#[derive(Debug, Clone, Copy)]
pub struct WaitingCase {
    /// The case's draw key.
    pub key: u64,
    /// People in the household; it needs as many seats.
    pub people: u32,
    /// When it joined the queue.
    pub since: f64,
    /// Index of the arrival stream it came from (its nationality and household type).
    pub stream: u16,
}

/// Cases waiting for seats on one agreement, in arrival order.
///
/// Cases leave from anywhere in the queue (a family passed over, a case released at the holding limit), so
/// entries are removed lazily: the slab is the truth, the deque holds references that may have gone stale.
#[derive(Debug, Default)]
pub struct TransferQueue {
    cases: Slab<WaitingCase>,
    order: VecDeque<SlotRef>,
    people: u64,
    /// Cases transferred this month and their total wait for a seat, for the monthly mean.
    pub seated: (u64, f64),
    /// Person-days waited since the last [`TransferQueue::take_person_days`], up to `last_change`.
    person_days: f64,
    last_change: f64,
}

impl TransferQueue {
    /// Adds a case at the back (cases join in time order).
    pub fn push(&mut self, case: WaitingCase) {
        self.advance(case.since);
        debug_assert!(self.order.back().and_then(|r| self.cases.get(*r)).is_none_or(|b| b.since <= case.since));
        self.people += u64::from(case.people);
        let r = self.cases.insert(case);
        self.order.push_back(r);
    }

    /// The longest-waiting case, if any.
    pub fn oldest(&self) -> Option<WaitingCase> {
        self.order.front().and_then(|r| self.cases.get(*r)).copied()
    }

    /// Removes the longest-waiting case if it has waited `limit` days by `now`.
    ///
    /// The holding limit is the same for every case of an agreement, so cases reach it in the order they joined:
    /// releases come from the front, and need no timer (see `Replication::release_due`).
    pub fn release_oldest(&mut self, now: f64, limit: f64) -> Option<WaitingCase> {
        let r = *self.order.front()?;
        // Computed exactly as the check was scheduled (since + limit), so that the case due now is found.
        if self.cases.get(r)?.since + limit > now {
            return None;
        }
        self.advance(now);
        let case = self.cases.remove(r)?;
        self.people -= u64::from(case.people);
        self.tidy();
        Some(case)
    }

    /// Removes every waiting case at time `now`, in joining order (transfers suspended, waiting cases released).
    pub fn release_all(&mut self, now: f64, released: &mut Vec<WaitingCase>) {
        self.advance(now);
        while let Some(r) = self.order.pop_front() {
            if let Some(case) = self.cases.remove(r) {
                released.push(case);
            }
        }
        self.people = 0;
    }

    /// Accumulates person-days waited up to `t`; called before every change of the people waiting.
    fn advance(&mut self, t: f64) {
        let dt = t - self.last_change;
        if dt > 0.0 {
            self.person_days += self.people as f64 * dt;
            self.last_change = t;
        }
    }

    /// Person-days waited since the last call, up to `end`; then starts again from zero.
    pub fn take_person_days(&mut self, end: f64) -> f64 {
        self.advance(end);
        std::mem::take(&mut self.person_days)
    }

    /// Cases waiting.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether no case is waiting.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// People waiting.
    pub fn people(&self) -> u64 {
        self.people
    }

    /// Seats `seats` (whole people) among waiting cases in the order of `discipline` (see [`QueueDiscipline`]);
    /// appends the seated cases to `boarded`.
    pub fn board(&mut self, now: f64, seats: u64, discipline: QueueDiscipline, boarded: &mut Vec<WaitingCase>) {
        self.board_among(now, seats, discipline, |_| true, boarded);
    }

    /// [`TransferQueue::board`] among the cases `among` accepts only (a household type's reserved seats): the
    /// others are neither seated nor, under `strict_fifo`, block the ones behind them. Returns the seats used.
    pub fn board_among(
        &mut self,
        now: f64,
        seats: u64,
        discipline: QueueDiscipline,
        among: impl Fn(&WaitingCase) -> bool,
        boarded: &mut Vec<WaitingCase>,
    ) -> u64 {
        self.advance(now);
        let mut left = seats;
        let single = |c: &WaitingCase| c.people == 1 && among(c);
        let family = |c: &WaitingCase| c.people > 1 && among(c);
        match discipline {
            QueueDiscipline::FirstFit => self.scan(false, false, &among, &mut left, boarded),
            QueueDiscipline::Lifo => self.scan(true, false, &among, &mut left, boarded),
            QueueDiscipline::SinglesFirst => {
                self.scan(false, false, single, &mut left, boarded);
                self.scan(false, false, family, &mut left, boarded);
            }
            QueueDiscipline::FamiliesFirst => {
                self.scan(false, false, family, &mut left, boarded);
                self.scan(false, false, single, &mut left, boarded);
            }
            QueueDiscipline::StrictFifo => self.scan(false, true, &among, &mut left, boarded),
        }
        self.tidy();
        seats - left
    }

    /// Offers `seats` to the accepted cases in queue order (from the back if `from_back`); a case that does not fit
    /// is passed over, or, if `blocking`, ends the scan (head-of-line blocking).
    fn scan(
        &mut self,
        from_back: bool,
        blocking: bool,
        accept: impl Fn(&WaitingCase) -> bool,
        seats: &mut u64,
        boarded: &mut Vec<WaitingCase>,
    ) {
        let n = self.order.len();
        for i in 0..n {
            if *seats == 0 {
                return;
            }
            let r = self.order[if from_back { n - 1 - i } else { i }];
            let Some(c) = self.cases.get(r).filter(|c| accept(c)) else { continue };
            if u64::from(c.people) > *seats {
                if blocking {
                    return;
                }
                continue;
            }
            if let Some(case) = self.cases.remove(r) {
                *seats -= u64::from(case.people);
                self.people -= u64::from(case.people);
                boarded.push(case);
            }
        }
    }

    /// Drops stale references at both ends, and everywhere once they outnumber the live ones.
    fn tidy(&mut self) {
        while self.order.front().is_some_and(|r| self.cases.get(*r).is_none()) {
            self.order.pop_front();
        }
        while self.order.back().is_some_and(|r| self.cases.get(*r).is_none()) {
            self.order.pop_back();
        }
        if self.order.len() > 64 && self.order.len() > 2 * self.cases.len() {
            let cases = &self.cases;
            self.order.retain(|r| cases.get(*r).is_some());
        }
    }

    /// Empties the queue for a new replication, keeping capacity.
    pub fn clear(&mut self) {
        self.cases.clear();
        self.order.clear();
        self.people = 0;
        self.seated = (0, 0.0);
        self.person_days = 0.0;
        self.last_change = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(sizes: &[u32]) -> TransferQueue {
        let mut q = TransferQueue::default();
        for (i, &people) in sizes.iter().enumerate() {
            q.push(WaitingCase { key: i as u64, people, since: i as f64, stream: 0 });
        }
        q
    }

    fn boarded_keys(q: &mut TransferQueue, seats: u64, d: QueueDiscipline) -> Vec<u64> {
        let mut out = Vec::new();
        q.board(10.0, seats, d, &mut out);
        out.iter().map(|c| c.key).collect()
    }

    #[test]
    fn first_fit_passes_over_families_that_do_not_fit() {
        let mut q = queue(&[1, 4, 1, 2, 1]);
        assert_eq!(boarded_keys(&mut q, 4, QueueDiscipline::FirstFit), [0, 2, 3]);
        assert_eq!(q.len(), 2);
        assert_eq!(q.people(), 5);
        assert_eq!(boarded_keys(&mut q, 5, QueueDiscipline::FirstFit), [1, 4]);
        assert!(q.is_empty());
    }

    #[test]
    fn strict_fifo_blocks_behind_a_family_that_does_not_fit() {
        // A family of 4 heads the queue and 3 seats are left: first fit seats the two singles behind it, strict
        // FIFO seats nobody.
        assert_eq!(boarded_keys(&mut queue(&[4, 1, 1]), 3, QueueDiscipline::FirstFit), [1, 2]);
        let mut q = queue(&[4, 1, 1]);
        assert_eq!(boarded_keys(&mut q, 3, QueueDiscipline::StrictFifo), [] as [u64; 0]);
        assert_eq!(q.people(), 6);
        assert_eq!(boarded_keys(&mut q, 5, QueueDiscipline::StrictFifo), [0, 1], "the head boards, then the next");
        assert_eq!(boarded_keys(&mut queue(&[1, 2, 4, 1]), 5, QueueDiscipline::StrictFifo), [0, 1]);
    }

    #[test]
    fn boarding_among_a_household_type_leaves_the_others_and_is_not_blocked_by_them() {
        let mut q = queue(&[1, 3, 1, 2]);
        let mut out = Vec::new();
        let used = q.board_among(10.0, 4, QueueDiscipline::StrictFifo, |c| c.people > 1, &mut out);
        assert_eq!((used, out.iter().map(|c| c.key).collect::<Vec<_>>()), (3, vec![1]));
        assert_eq!(q.people(), 4);
    }

    #[test]
    fn disciplines_order_the_queue() {
        assert_eq!(boarded_keys(&mut queue(&[1, 3, 1, 2]), 2, QueueDiscipline::Lifo), [3]);
        assert_eq!(boarded_keys(&mut queue(&[3, 1, 2, 1]), 3, QueueDiscipline::SinglesFirst), [1, 3]);
        assert_eq!(boarded_keys(&mut queue(&[1, 3, 1, 2]), 5, QueueDiscipline::FamiliesFirst), [1, 3]);
    }

    #[test]
    fn releases_come_from_the_front_in_joining_order() {
        let mut q = queue(&[1, 2, 1]);
        assert_eq!(boarded_keys(&mut q, 1, QueueDiscipline::FirstFit), [0]);
        assert!(q.release_oldest(7.5, 7.0).is_none(), "case 1 joined at 1.0");
        assert_eq!(q.release_oldest(1.0 + 7.9, 7.9).map(|c| c.key), Some(1));
        assert_eq!(q.oldest().map(|c| c.key), Some(2));
        assert_eq!(q.people(), 1);
        assert_eq!(boarded_keys(&mut q, 10, QueueDiscipline::FirstFit), [2]);
        assert!(q.oldest().is_none());
    }

    #[test]
    fn person_days_weight_people_by_time_waited() {
        let mut q = queue(&[1, 2]); // 1 person from day 0, 2 more from day 1
        assert_eq!(q.take_person_days(2.0), 1.0 * 2.0 + 2.0 * 1.0);
        let mut released = Vec::new();
        q.release_all(3.0, &mut released);
        assert_eq!(released.len(), 2);
        assert_eq!(q.take_person_days(10.0), 3.0, "three people for one day, then nobody");
        assert!(q.is_empty() && q.people() == 0);
    }
}
