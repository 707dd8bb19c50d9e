//! A discrete-event engine: a clock and a queue of future events. It knows nothing about asylum.
//!
//! # Ordering guarantee
//!
//! Events are handled in non-decreasing order of time. Events scheduled for the *same* time are handled in the
//! order they were scheduled (first scheduled, first handled). Together with seeded random streams this makes a run
//! a pure function of its inputs: no hash order, thread timing or floating-point tie can change which event goes
//! first.
//!
//! # Allocation
//!
//! Events are plain values stored inline in a 4-ary heap; scheduling allocates only when the heap outgrows its
//! capacity, and [`Scheduler::clear`] keeps that capacity for the next replication.
//!
//! # Example: an M/M/1 queue
//!
//! ```
//! use safe_third::engine::{Process, Scheduler, run};
//!
//! #[derive(Clone, Copy)]
//! enum Event { Arrival, Departure }
//!
//! struct Queue { in_system: u32, served: u32 }
//!
//! impl Process for Queue {
//!     type Event = Event;
//!     fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
//!         match event {
//!             Event::Arrival => {
//!                 self.in_system += 1;
//!                 if self.in_system == 1 { s.schedule_in(0.5, Event::Departure); }
//!                 s.schedule_in(1.0, Event::Arrival);
//!             }
//!             Event::Departure => {
//!                 self.in_system -= 1;
//!                 self.served += 1;
//!                 if self.in_system > 0 { s.schedule_in(0.5, Event::Departure); }
//!             }
//!         }
//!     }
//! }
//!
//! let mut queue = Queue { in_system: 0, served: 0 };
//! let mut scheduler = Scheduler::new();
//! scheduler.schedule(0.0, Event::Arrival);
//! run(&mut queue, &mut scheduler, 10.0);
//! assert_eq!(queue.served, 10);
//! ```

mod queue;

pub use queue::Scheduler;

/// Simulated time, in days since the start of the run.
pub type Time = f64;

/// Something that reacts to its own events. The engine drives it; it schedules follow-up events.
pub trait Process {
    /// The events this process schedules and handles; small `Copy` values keep the heap cheap.
    type Event: Copy;

    /// Handles one event at `scheduler.now()`.
    fn handle(&mut self, event: Self::Event, scheduler: &mut Scheduler<Self::Event>);
}

/// Handles events in order until the next one is at or after `until`; returns how many were handled.
///
/// Events at exactly `until` are left in the queue: the horizon is a half-open interval `[0, until)`.
pub fn run<P: Process>(process: &mut P, scheduler: &mut Scheduler<P::Event>, until: Time) -> u64 {
    let mut handled = 0;
    while let Some(event) = scheduler.pop_before(until) {
        process.handle(event, scheduler);
        handled += 1;
    }
    handled
}
