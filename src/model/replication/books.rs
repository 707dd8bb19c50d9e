//! The books: the month's turn (the previous month closed, the new one's arrivals and claims drawn) and the
//! accounting of every metric in the model's [`crate::model::MetricLayout`].

use crate::engine::Scheduler;

use super::Replication;
use crate::model::event::Event;
use crate::model::metrics::{ReceivingMetric, SendingMetric};
use crate::model::transfer_queue::TransferQueue;

impl Replication<'_> {
    #[inline]
    pub(super) fn add(&mut self, metric: SendingMetric, value: f64) {
        let i = self.month_base + metric as usize;
        debug_assert_eq!(i, self.model.layout.sending(self.month, metric));
        self.values[i] += value;
    }

    #[inline]
    pub(super) fn add_at(&mut self, agreement: usize, metric: ReceivingMetric, value: f64) {
        let i = self.month_base + SendingMetric::COUNT + agreement * ReceivingMetric::COUNT + metric as usize;
        debug_assert_eq!(i, self.model.layout.receiving_at(self.month, agreement, metric));
        self.values[i] += value;
    }

    #[inline]
    pub(super) fn set_at(&mut self, month: usize, agreement: usize, metric: ReceivingMetric, value: f64) {
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
        self.values[layout.sending(month, SendingMetric::WaitingTransferCases)] = cases as f64;
        self.values[layout.sending(month, SendingMetric::WaitingTransferPeople)] = people as f64;
        self.values[layout.sending(month, SendingMetric::ReturningCases)] = self.returning as f64;
        for a in 0..self.claim_queues.len() {
            let (backlog_mean, queue_mean) = self.claim_queues[a].take_time_means(begin, end);
            let waits = std::mem::take(&mut self.claim_queues[a].waits);
            let person_days = self.queues[a].take_person_days(end);
            let system = &self.claim_queues[a];
            let rules = &self.model.asylum[a];
            let month_end = self.model.calendar.month_span(month).1;
            let stocks = [
                (ReceivingMetric::HoldingPersonDays, person_days),
                (ReceivingMetric::WaitingTransferCases, self.queues[a].len() as f64),
                (ReceivingMetric::WaitingTransferPeople, self.queues[a].people() as f64),
                (ReceivingMetric::FilingWindowCases, system.filing_window as f64),
                (ReceivingMetric::AwaitingLateFilingCases, system.awaiting_late_filing as f64),
                (ReceivingMetric::BacklogCases, system.backlog() as f64),
                (ReceivingMetric::InAdjudicationCases, system.in_adjudication() as f64),
                (ReceivingMetric::AwaitingSessionCases, system.awaiting_issue() as f64),
                (ReceivingMetric::TransfereeBacklogCases, system.transferee_backlog() as f64),
                (ReceivingMetric::AdjudicatorsCount, system.adjudicators as f64),
                (ReceivingMetric::TraineeAdjudicatorsCount, rules.staffing.trainees.before(month_end)),
                (ReceivingMetric::HiredAdjudicatorsCount, rules.staffing.hired.before(month_end)),
                (ReceivingMetric::BacklogTimeMeanCases, backlog_mean),
                (ReceivingMetric::AdjudicationQueueTimeMeanCases, queue_mean),
            ];
            for (metric, value) in stocks {
                self.set_at(month, a, metric, value);
            }
            let decided = waits.decided as f64;
            let mean = |sum: f64| if waits.decided > 0 { sum / decided } else { f64::NAN };
            self.set_at(month, a, ReceivingMetric::QueueWaitDaysMean, mean(waits.queue_wait_days));
            self.set_at(month, a, ReceivingMetric::WaitDaysMean, mean(waits.wait_days));
            let (seated, waited) = std::mem::take(&mut self.queues[a].seated);
            self.set_at(
                month,
                a,
                ReceivingMetric::SeatWaitDaysMean,
                if seated > 0 { waited / seated as f64 } else { f64::NAN },
            );
        }
    }

    /// A calendar month begins: the previous month is closed first (so that every event at this instant counts in
    /// the new month), then deterrence reacts to the months before, and the month's arrivals and other claims are
    /// drawn. (Seat budgets notice a new month themselves, at their first use in it: see `SeatBudget`.)
    pub(super) fn month_start(&mut self, month: usize, s: &mut Scheduler<Event>) {
        if month > 0 {
            self.close_month(month - 1, s.now());
        }
        self.month = month;
        self.month_base = month * self.model.layout.per_month();
        self.update_deterrence(month);
        self.draw_arrivals(month, s);
        self.draw_other_claims(month, s);
    }
}
