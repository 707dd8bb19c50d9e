//! The books: the month's turn (the previous month closed, the new one's arrivals and claims drawn) and the
//! accounting of every metric in the model's [`crate::model::MetricLayout`].

use crate::engine::Scheduler;

use super::Replication;
use crate::model::event::Event;
use crate::model::metrics::{ReceivingMetric as R, SendingMetric as S};
use crate::model::transfer_queue::TransferQueue;

impl Replication<'_> {
    #[inline]
    pub(super) fn add(&mut self, metric: S, value: f64) {
        let i = self.month_base + metric as usize;
        debug_assert_eq!(i, self.model.layout.sending(self.month, metric));
        self.values[i] += value;
    }

    #[inline]
    pub(super) fn add_at(&mut self, agreement: usize, metric: R, value: f64) {
        let i = self.month_base + S::COUNT + agreement * R::COUNT + metric as usize;
        debug_assert_eq!(i, self.model.layout.receiving_at(self.month, agreement, metric));
        self.values[i] += value;
    }

    #[inline]
    pub(super) fn set_at(&mut self, month: usize, agreement: usize, metric: R, value: f64) {
        let i = self.model.layout.receiving_at(month, agreement, metric);
        self.values[i] = value;
    }

    /// Records month-end stocks and the month's means.
    pub(super) fn close_month(&mut self, month: usize, end: f64) {
        for a in 0..self.queues.len() {
            self.release_due(a, end, false);
            self.close_windows(a, end);
        }
        let layout = &self.model.layout;
        let begin = self.model.calendar.month_span(month).0;
        let cases: usize = self.queues.iter().map(TransferQueue::len).sum();
        let people: u64 = self.queues.iter().map(TransferQueue::people).sum();
        self.values[layout.sending(month, S::WaitingTransferCases)] = cases as f64;
        self.values[layout.sending(month, S::WaitingTransferPeople)] = people as f64;
        self.values[layout.sending(month, S::ReturningCases)] = self.returning as f64;
        for a in 0..self.systems.len() {
            let (backlog_mean, queue_mean) = self.systems[a].take_time_means(begin, end);
            let waits = std::mem::take(&mut self.systems[a].waits);
            let person_days = self.queues[a].take_person_days(end);
            let system = &self.systems[a];
            let rules = &self.model.asylum[a];
            let month_end = self.model.calendar.month_span(month).1;
            let stocks = [
                (R::HoldingPersonDays, person_days),
                (R::WaitingTransferCases, self.queues[a].len() as f64),
                (R::WaitingTransferPeople, self.queues[a].people() as f64),
                (R::FilingWindowCases, system.filing_window as f64),
                (R::BacklogCases, system.backlog() as f64),
                (R::InAdjudicationCases, system.in_adjudication() as f64),
                (R::AwaitingSessionCases, system.awaiting_issue() as f64),
                (R::TransfereeBacklogCases, system.transferee_backlog() as f64),
                (R::AdjudicatorsCount, system.adjudicators as f64),
                (R::TraineeAdjudicatorsCount, rules.staffing.trainees.before(month_end)),
                (R::HiredAdjudicatorsCount, rules.staffing.hired.before(month_end)),
                (R::BacklogTimeMeanCases, backlog_mean),
                (R::AdjudicationQueueTimeMeanCases, queue_mean),
            ];
            for (metric, value) in stocks {
                self.set_at(month, a, metric, value);
            }
            let decided = waits.decided as f64;
            let mean = |sum: f64| if waits.decided > 0 { sum / decided } else { f64::NAN };
            self.set_at(month, a, R::QueueWaitDaysMean, mean(waits.queue_wait_days));
            self.set_at(month, a, R::WaitDaysMean, mean(waits.wait_days));
            let (seated, waited) = std::mem::take(&mut self.queues[a].seated);
            self.set_at(month, a, R::SeatWaitDaysMean, if seated > 0 { waited / seated as f64 } else { f64::NAN });
        }
    }

    /// A calendar month begins: the previous month is closed first (so that every event at this instant counts in
    /// the new month), then the seat budgets start again, deterrence reacts to the months before, and the month's
    /// arrivals and other claims are drawn.
    pub(super) fn month_start(&mut self, month: usize, s: &mut Scheduler<Event>) {
        if month > 0 {
            self.close_month(month - 1, s.now());
        }
        self.month = month;
        self.month_base = month * self.model.layout.per_month();
        let begin = self.model.calendar.month_span(month).0;
        self.lapse_seat_budgets(begin);
        self.update_deterrence(month);
        self.draw_arrivals(month, s);
        self.draw_other_claims(month, s);
    }
}
